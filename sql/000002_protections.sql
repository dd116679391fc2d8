-- Rowtrail protections, version 2.
-- Shared functions for protection triggers (generated per table, see
-- packages/server/src/protections) and append-only history.
-- A refused write raises SQLSTATE RT001 with a JSON DETAIL
--   {"rowtrail":"protection","table":"schema.table","protection":name,"kind":...,
--    "operation":...,"fields":[...],"transition":{"from":...,"to":...}}
-- which the application adapter turns into a typed ProtectionError.

-- True when the running statement asked to ignore this protection: either its
-- leading context comment lists it ("ig", written by ignore() in the
-- application), or the transaction-local setting rowtrail.ignore (a JSON array,
-- see ignore_protections()) does. A name matches as "name", "table:name" or
-- "schema.table:name".
CREATE FUNCTION :ROWTRAIL_SCHEMA.protection_ignored(table_schema text, table_name text, protection text) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  query_text text := current_query();
  setting    text := nullif(current_setting('rowtrail.ignore', true), '');
  names      jsonb := '[]';
BEGIN
  IF starts_with(query_text, '/*rowtrail:') THEN
    names := coalesce(substr(query_text, 12, strpos(query_text, '*/') - 12)::jsonb -> 'ig', '[]');
  END IF;
  IF setting IS NOT NULL THEN
    names := names || setting::jsonb;
  END IF;
  RETURN names ?| ARRAY[protection, table_name || ':' || protection, table_schema || '.' || table_name || ':' || protection];
END
$$;

-- Ignores protections until the end of the current transaction, for SQL
-- clients that do not use the application's ignore().
CREATE FUNCTION :ROWTRAIL_SCHEMA.ignore_protections(names text[]) RETURNS void
LANGUAGE sql VOLATILE AS $$
  SELECT set_config('rowtrail.ignore',
    (coalesce(nullif(current_setting('rowtrail.ignore', true), '')::jsonb, '[]') || to_jsonb(names))::text, true);
$$;

-- Raises the error every protection raises.
CREATE FUNCTION :ROWTRAIL_SCHEMA.raise_protection(
  table_schema text, table_name text, protection text, kind text, operation text,
  message text, fields jsonb DEFAULT '[]', transition jsonb DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION USING
    ERRCODE = 'RT001',
    MESSAGE = message,
    DETAIL = jsonb_build_object(
      'rowtrail', 'protection', 'table', table_schema || '.' || table_name, 'protection', protection,
      'kind', kind, 'operation', operation, 'fields', fields, 'transition', transition)::text,
    HINT = format('Protection "%s" refuses this write; an official interface can run it inside ignore(["%s"], fn).', protection, protection);
END
$$;

-- Generic protection trigger. TG_ARGV: protection name, kind
-- (protect | read_only | versioned | fsm), then the fields it watches.
-- The trigger's WHEN clause decides whether the write is refused; this
-- function reports it (and lets it pass when the protection is ignored).
CREATE FUNCTION :ROWTRAIL_SCHEMA.protect() RETURNS trigger
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  protection text := TG_ARGV[0];
  kind       text := TG_ARGV[1];
  fields     jsonb := '[]';
  transition jsonb;
  old_row    jsonb;
  new_row    jsonb;
  message    text;
  i          integer;
BEGIN
  IF :ROWTRAIL_SCHEMA.protection_ignored(TG_TABLE_SCHEMA, TG_TABLE_NAME, protection) THEN
    IF TG_LEVEL = 'ROW' AND TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    IF TG_LEVEL = 'ROW' THEN RETURN NEW; END IF;
    RETURN NULL;
  END IF;
  IF TG_LEVEL = 'ROW' AND TG_OP = 'UPDATE' AND TG_NARGS > 2 THEN
    old_row := to_jsonb(OLD);
    new_row := to_jsonb(NEW);
    FOR i IN 2 .. TG_NARGS - 1 LOOP
      IF old_row -> TG_ARGV[i] IS DISTINCT FROM new_row -> TG_ARGV[i] THEN
        fields := fields || to_jsonb(TG_ARGV[i]);
      END IF;
    END LOOP;
    IF kind = 'fsm' THEN
      transition := jsonb_build_object('from', old_row -> TG_ARGV[2], 'to', new_row -> TG_ARGV[2]);
    END IF;
  END IF;
  message := CASE kind
    WHEN 'read_only' THEN format('rowtrail: cannot update read-only field(s) %s of table %I.%I (protection "%s")',
      (SELECT string_agg(f, ', ') FROM jsonb_array_elements_text(fields) f), TG_TABLE_SCHEMA, TG_TABLE_NAME, protection)
    WHEN 'versioned' THEN format('rowtrail: cannot edit version field %s of table %I.%I directly (protection "%s")',
      TG_ARGV[2], TG_TABLE_SCHEMA, TG_TABLE_NAME, protection)
    WHEN 'fsm' THEN format('rowtrail: transition of %s from %s to %s is not allowed on table %I.%I (protection "%s")',
      TG_ARGV[2], coalesce(transition ->> 'from', 'NULL'), coalesce(transition ->> 'to', 'NULL'), TG_TABLE_SCHEMA, TG_TABLE_NAME, protection)
    ELSE format('rowtrail: cannot %s rows %s table %I.%I (protection "%s")',
      lower(TG_OP), CASE TG_OP WHEN 'INSERT' THEN 'into' WHEN 'UPDATE' THEN 'of' ELSE 'from' END, TG_TABLE_SCHEMA, TG_TABLE_NAME, protection)
  END;
  PERFORM :ROWTRAIL_SCHEMA.raise_protection(TG_TABLE_SCHEMA, TG_TABLE_NAME, protection, kind, TG_OP, message, fields, transition);
  RETURN NULL;
END
$$;

-- Audited maintenance of history: the only way to update, delete or truncate
-- history rows. Each use is recorded here; the log itself is never changed.
CREATE TABLE :ROWTRAIL_SCHEMA.maintenance_log (
  id           bigserial   PRIMARY KEY,
  reason       text        NOT NULL CHECK (length(btrim(reason)) > 0),
  db_user      text        NOT NULL DEFAULT session_user,
  application_name text,
  txid         bigint      NOT NULL DEFAULT txid_current(),
  performed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Opens a maintenance window until the end of the current transaction (call
-- it inside BEGIN ... COMMIT): history tables accept UPDATE, DELETE and
-- TRUNCATE from this transaction only. Returns the maintenance log id.
CREATE FUNCTION :ROWTRAIL_SCHEMA.begin_maintenance(reason text) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  log_id bigint;
BEGIN
  INSERT INTO :ROWTRAIL_SCHEMA.maintenance_log (reason, application_name)
  VALUES (reason, nullif(current_setting('application_name', true), ''))
  RETURNING id INTO log_id;
  PERFORM set_config('rowtrail.maintenance', log_id::text, true);
  RETURN log_id;
END
$$;

-- Statement-level guard of every history table: refuses UPDATE, DELETE and
-- TRUNCATE unless this transaction opened a logged maintenance window.
-- TG_ARGV[0] = 'strict' refuses even then (the maintenance log itself).
CREATE FUNCTION :ROWTRAIL_SCHEMA.refuse_history_change() RETURNS trigger
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  window_id bigint := nullif(current_setting('rowtrail.maintenance', true), '')::bigint;
BEGIN
  IF TG_NARGS = 0 AND window_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM :ROWTRAIL_SCHEMA.maintenance_log WHERE id = window_id AND txid = txid_current()
  ) THEN
    RETURN NULL;
  END IF;
  PERFORM :ROWTRAIL_SCHEMA.raise_protection(TG_TABLE_SCHEMA, TG_TABLE_NAME, 'append_only', 'append_only', TG_OP,
    format('rowtrail: history table %I.%I is append-only; cannot %s it (use %I.begin_maintenance(reason) inside a transaction for audited maintenance)',
      TG_TABLE_SCHEMA, TG_TABLE_NAME, lower(TG_OP), TG_TABLE_SCHEMA));
  RETURN NULL;
END
$$;

CREATE TRIGGER rowtrail_core_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON :ROWTRAIL_SCHEMA.diff
  FOR EACH STATEMENT EXECUTE FUNCTION :ROWTRAIL_SCHEMA.refuse_history_change();
CREATE TRIGGER rowtrail_core_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON :ROWTRAIL_SCHEMA.context
  FOR EACH STATEMENT EXECUTE FUNCTION :ROWTRAIL_SCHEMA.refuse_history_change();
CREATE TRIGGER rowtrail_core_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON :ROWTRAIL_SCHEMA.maintenance_log
  FOR EACH STATEMENT EXECUTE FUNCTION :ROWTRAIL_SCHEMA.refuse_history_change('strict');
