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
-- context-less id for this schema (the setting rowtrail.db_context_<md5 of the
-- schema>, set by save_context), or a new one. Stores nothing. A SQL function,
-- so PL/pgSQL inlines it (and folds the setting's name into a constant).
CREATE FUNCTION :ROWTRAIL_SCHEMA.statement_context_id(query text) RETURNS uuid
LANGUAGE sql VOLATILE AS $$
  SELECT CASE
    WHEN NOT starts_with(query, '/*rowtrail:') THEN
      coalesce(nullif(current_setting('rowtrail.db_context_' || md5(:ROWTRAIL_SCHEMA_LITERAL), true), '')::uuid, gen_random_uuid())
    -- the application writes {"id":"<36-character uuid>" first: read it without parsing the JSON
    WHEN starts_with(query, '/*rowtrail:{"id":"') AND strpos(substr(query, 19, 38), '"') = 37 THEN substr(query, 19, 36)::uuid
    ELSE (split_part(split_part(query, '/*rowtrail:', 2), '*/', 1)::jsonb ->> 'id')::uuid
  END
$$;

-- Stores the context row of statement_context_id(query) = ctx, called by the
-- capture triggers once a statement wrote history. With application context
-- the session remembers the last context it stored, as in version 3
-- (rowtrail.app_context = '<schema>|<id>|<xid>', valid while that transaction
-- is the current one or committed); without, the transaction remembers its
-- context-less id for this schema (rowtrail.db_context_<md5 of the schema>).
-- Returns true when it stored a row.
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
  IF current_setting('rowtrail.db_context_' || md5(:ROWTRAIL_SCHEMA_LITERAL), true) = ctx::text THEN
    RETURN false;
  END IF;
  INSERT INTO :ROWTRAIL_SCHEMA.context (id, metadata, application_name)
  VALUES (ctx, '{}', nullif(current_setting('application_name', true), ''));
  cached := set_config('rowtrail.db_context_' || md5(:ROWTRAIL_SCHEMA_LITERAL), ctx::text, true);
  RETURN true;
END
$$;

-- The diff of the history row aliased `alias`, as SQL text: in the row since
-- version 5, in rowtrail.diff (by event id) for rows written before. Null when
-- it is in neither (an old diff row deleted by maintenance). The query layer
-- builds the same expression (packages/server/src/query/event-sql.ts).
CREATE FUNCTION :ROWTRAIL_SCHEMA.history_changes(alias text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT format('coalesce(%1$I.rowtrail_changes, (SELECT d.changes FROM %2$s.diff d WHERE d.event_id = %1$I.rowtrail_event_id))', alias, :ROWTRAIL_SCHEMA_LITERAL)
$$;

-- A PostgreSQL identifier from a name, as the capture DDL generator names
-- what it creates (packages/server/src/ddl/identifier-name.ts): the name when
-- it fits in 63 bytes, else its head and the first 10 hex digits of its sha256.
CREATE FUNCTION :ROWTRAIL_SCHEMA.identifier_name(name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN octet_length(name) <= 63 THEN name
    ELSE (SELECT left(name, n) FROM generate_series(char_length(name), 0, -1) n WHERE octet_length(left(name, n)) <= 52 LIMIT 1)
      || '_' || left(encode(sha256(convert_to(name, 'UTF8')), 'hex'), 10)
  END
$$;

-- (Re)creates rowtrail.event: one UNION ALL branch per history table of the
-- registry, each with its table name as a constant (so a filter on table_name
-- skips other tables' branches without reading them). Called by the installer
-- (and by generated migrations) after it changed the registry; does nothing
-- when the view already lists exactly these tables (the view's comment records
-- which), so readers are not blocked for nothing. Replacing the view waits for
-- its readers (a streamed export holds it for its whole run): after 5 seconds
-- it gives up with an error that says so, rather than making every new reader
-- queue behind it.
-- It also brings history tables whose capture was installed before version 5
-- up to what reads need: the rowtrail_changes column, and the context and time
-- indexes the capture DDL now creates (same names, so regenerating the capture
-- finds them). A row whose diff is neither in the row nor in rowtrail.diff (its
-- diff row was deleted there) is not an event, as before version 5.
CREATE FUNCTION :ROWTRAIL_SCHEMA.refresh_event_view() RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  branches text[] := '{}';
  definition text;
  marker text;
  previous_timeout text;
  t record;
BEGIN
  FOR t IN
    SELECT r.table_name, r.snapshot_table, format('%s.%I', :ROWTRAIL_SCHEMA_LITERAL, r.snapshot_table) AS name,
      to_regclass(format('%s.%I', :ROWTRAIL_SCHEMA_LITERAL, r.snapshot_table)) AS history
    FROM :ROWTRAIL_SCHEMA.tracked_table r ORDER BY r.table_name
  LOOP
    CONTINUE WHEN t.history IS NULL;
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = t.history AND attname = 'rowtrail_changes' AND NOT attisdropped) THEN
      EXECUTE format('ALTER TABLE %s ADD COLUMN rowtrail_changes jsonb', t.history);
    END IF;
    IF to_regclass(format('%s.%I', :ROWTRAIL_SCHEMA_LITERAL, :ROWTRAIL_SCHEMA.identifier_name(t.snapshot_table || '_context_idx'))) IS NULL THEN
      EXECUTE format('CREATE INDEX %I ON %s (rowtrail_context_id, rowtrail_event_id)', :ROWTRAIL_SCHEMA.identifier_name(t.snapshot_table || '_context_idx'), t.name);
    END IF;
    IF to_regclass(format('%s.%I', :ROWTRAIL_SCHEMA_LITERAL, :ROWTRAIL_SCHEMA.identifier_name(t.snapshot_table || '_created_at_idx'))) IS NULL THEN
      EXECUTE format('CREATE INDEX %I ON %s USING brin (rowtrail_created_at)', :ROWTRAIL_SCHEMA.identifier_name(t.snapshot_table || '_created_at_idx'), t.name);
    END IF;
    branches := branches || format(
      'SELECT h.rowtrail_event_id, %L::text, h.rowtrail_record_key, h.rowtrail_old_record_key, h.rowtrail_operation, %s, '
      || 'h.rowtrail_label, h.rowtrail_context_id, h.rowtrail_txid, h.rowtrail_created_at FROM %s h WHERE %s IS NOT NULL',
      t.table_name, :ROWTRAIL_SCHEMA.history_changes('h'), t.name, :ROWTRAIL_SCHEMA.history_changes('h'));
  END LOOP;
  IF cardinality(branches) = 0 THEN
    branches := ARRAY['SELECT NULL::bigint, NULL::text, NULL::jsonb, NULL::jsonb, NULL::text, NULL::jsonb, NULL::text, NULL::uuid, NULL::bigint, NULL::timestamptz WHERE false'];
  END IF;
  definition := array_to_string(branches, ' UNION ALL ');
  marker := 'Every history event of every tracked table, one row per changed row (see docs/schema.md). rowtrail:' || md5(definition);
  IF obj_description(to_regclass(:ROWTRAIL_SCHEMA_LITERAL || '.event'), 'pg_class') IS NOT DISTINCT FROM marker THEN
    RETURN;
  END IF;
  previous_timeout := current_setting('lock_timeout');
  IF previous_timeout = '0' THEN
    PERFORM set_config('lock_timeout', '5s', true);
  END IF;
  BEGIN
    EXECUTE format('CREATE OR REPLACE VIEW %s.event (event_id, table_name, record_key, old_record_key, operation, changes, label, context_id, txid, created_at) AS %s',
      :ROWTRAIL_SCHEMA_LITERAL, definition);
  EXCEPTION WHEN lock_not_available THEN
    RAISE EXCEPTION 'rowtrail: cannot update the view %.event to list the tracked tables: it is being read (a running export holds it until it ends)', :ROWTRAIL_SCHEMA_LITERAL
      USING ERRCODE = 'lock_not_available', HINT = 'Run the install again when the readers of the view have finished; nothing was changed.';
  END;
  PERFORM set_config('lock_timeout', previous_timeout, true);
  EXECUTE format('COMMENT ON VIEW %s.event IS %L', :ROWTRAIL_SCHEMA_LITERAL, marker);
END
$$;

SELECT :ROWTRAIL_SCHEMA.refresh_event_view();

COMMENT ON TABLE :ROWTRAIL_SCHEMA.diff IS 'Diffs written before core version 5 (and by capture triggers generated before it); read rowtrail.event.';
