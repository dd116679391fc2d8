-- Rowtrail core, version 5: one history row per change.
--
-- Until version 4 every change wrote two rows: a typed snapshot row in the
-- table's history table and a diff row in rowtrail.diff. A history row now
-- holds the diff too (rowtrail_changes), and the view rowtrail.event lists the
-- events of every tracked table with the columns rowtrail.diff had. The capture
-- triggers generated for version 5 write history rows only, resolve the
-- context inside the trigger and store it with save_context() (below) after
-- the rows are written, so a statement that changes nothing stores nothing.
--
-- Upgrading keeps everything readable without rewriting history:
-- * rowtrail.diff stays a table: it keeps the diffs written before version 5,
--   and capture triggers generated before version 5 keep writing there (and
--   to their history table) until `rowtrail install` / installTracked /
--   migration:generate regenerates them;
-- * rowtrail.event takes a history row's diff from rowtrail_changes, or from
--   rowtrail.diff (by event id) for rows written before.
-- context_id() (version 3) stays for those older triggers.

-- The context id of the running statement: the id in its leading
-- /*rowtrail:{"id":"<uuid>",...}*/ comment; without one, this transaction's
-- context-less id for this schema (rowtrail.db_context, set by save_context),
-- or a new one. Stores nothing. A SQL function, so PL/pgSQL inlines it.
CREATE FUNCTION :ROWTRAIL_SCHEMA.statement_context_id(query text) RETURNS uuid
LANGUAGE sql VOLATILE AS $$
  SELECT CASE
    WHEN NOT starts_with(query, '/*rowtrail:') THEN
      CASE WHEN starts_with(current_setting('rowtrail.db_context', true), :ROWTRAIL_SCHEMA_LITERAL || '|')
        THEN substr(current_setting('rowtrail.db_context', true), length(:ROWTRAIL_SCHEMA_LITERAL) + 2)::uuid
        ELSE gen_random_uuid() END
    -- the application writes {"id":"<uuid>" first: read it without parsing the JSON
    WHEN starts_with(query, '/*rowtrail:{"id":"') THEN substr(query, 19, 36)::uuid
    ELSE (split_part(split_part(query, '/*rowtrail:', 2), '*/', 1)::jsonb ->> 'id')::uuid
  END
$$;

-- Stores the context row of statement_context_id(query) = ctx, called by the
-- capture triggers once a statement wrote history. With application context
-- the session remembers the last context it stored, as in version 3
-- (rowtrail.app_context = '<schema>|<id>|<xid>', valid while that transaction
-- is the current one or committed); without, the transaction remembers its
-- context-less id (rowtrail.db_context = '<schema>|<id>'). Returns true when it
-- stored a row.
CREATE FUNCTION :ROWTRAIL_SCHEMA.save_context(query text, ctx uuid) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  known  text;
  cached text;
  stored_in xid8;
BEGIN
  IF starts_with(query, '/*rowtrail:') THEN
    known := :ROWTRAIL_SCHEMA_LITERAL || '|' || ctx::text || '|';
    cached := current_setting('rowtrail.app_context', true);
    IF starts_with(cached, known) THEN
      stored_in := substr(cached, length(known) + 1)::xid8;
      IF stored_in = pg_current_xact_id() OR pg_xact_status(stored_in) = 'committed' THEN
        RETURN false;
      END IF;
    END IF;
    INSERT INTO :ROWTRAIL_SCHEMA.context (id, metadata, application_name)
    -- split_part finds the JSON by bytes; substr would count the characters of the whole statement
    VALUES (ctx, coalesce(split_part(split_part(query, '/*rowtrail:', 2), '*/', 1)::jsonb -> 'm', '{}'), nullif(current_setting('application_name', true), ''));
    cached := set_config('rowtrail.app_context', known || pg_current_xact_id()::text, false);
    RETURN true;
  END IF;
  known := :ROWTRAIL_SCHEMA_LITERAL || '|' || ctx::text;
  IF current_setting('rowtrail.db_context', true) = known THEN
    RETURN false;
  END IF;
  INSERT INTO :ROWTRAIL_SCHEMA.context (id, metadata, application_name)
  VALUES (ctx, '{}', nullif(current_setting('application_name', true), ''));
  cached := set_config('rowtrail.db_context', known, true);
  RETURN true;
END
$$;

-- (Re)creates rowtrail.event: one UNION ALL branch per history table of the
-- registry, each with its table name as a constant (so a filter on table_name
-- skips other tables' branches without reading them). Called by the installer
-- (and by generated migrations) after it changed the registry; does nothing
-- when the view already lists exactly these tables (the view's comment records
-- which), so readers are not blocked for nothing. Gives each history table the
-- rowtrail_changes column if it lacks it (capture installed before version 5).
CREATE FUNCTION :ROWTRAIL_SCHEMA.refresh_event_view() RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  branches text[] := '{}';
  definition text;
  marker text;
  t record;
BEGIN
  FOR t IN
    SELECT r.table_name, format('%s.%I', :ROWTRAIL_SCHEMA_LITERAL, r.snapshot_table) AS name,
      to_regclass(format('%s.%I', :ROWTRAIL_SCHEMA_LITERAL, r.snapshot_table)) AS history
    FROM :ROWTRAIL_SCHEMA.tracked_table r ORDER BY r.table_name
  LOOP
    CONTINUE WHEN t.history IS NULL;
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = t.history AND attname = 'rowtrail_changes' AND NOT attisdropped) THEN
      EXECUTE format('ALTER TABLE %s ADD COLUMN rowtrail_changes jsonb', t.history);
    END IF;
    branches := branches || format(
      'SELECT h.rowtrail_event_id, %L::text, h.rowtrail_record_key, h.rowtrail_old_record_key, h.rowtrail_operation, '
      || 'coalesce(h.rowtrail_changes, (SELECT d.changes FROM %s.diff d WHERE d.event_id = h.rowtrail_event_id)), '
      || 'h.rowtrail_label, h.rowtrail_context_id, h.rowtrail_txid, h.rowtrail_created_at FROM %s h',
      t.table_name, :ROWTRAIL_SCHEMA_LITERAL, t.name);
  END LOOP;
  IF cardinality(branches) = 0 THEN
    branches := ARRAY['SELECT NULL::bigint, NULL::text, NULL::jsonb, NULL::jsonb, NULL::text, NULL::jsonb, NULL::text, NULL::uuid, NULL::bigint, NULL::timestamptz WHERE false'];
  END IF;
  definition := array_to_string(branches, ' UNION ALL ');
  marker := 'Every history event of every tracked table, one row per changed row (see docs/schema.md). rowtrail:' || md5(definition);
  IF obj_description(to_regclass(:ROWTRAIL_SCHEMA_LITERAL || '.event'), 'pg_class') IS NOT DISTINCT FROM marker THEN
    RETURN;
  END IF;
  EXECUTE format('CREATE OR REPLACE VIEW %s.event (event_id, table_name, record_key, old_record_key, operation, changes, label, context_id, txid, created_at) AS %s',
    :ROWTRAIL_SCHEMA_LITERAL, definition);
  EXECUTE format('COMMENT ON VIEW %s.event IS %L', :ROWTRAIL_SCHEMA_LITERAL, marker);
END
$$;

SELECT :ROWTRAIL_SCHEMA.refresh_event_view();

COMMENT ON TABLE :ROWTRAIL_SCHEMA.diff IS 'Diffs written before core version 5 (and by capture triggers generated before it); read rowtrail.event.';
