-- Rowtrail core, version 11: the index behind gapless incremental exports (an export's "after" watermark).
--
-- An export's header now carries its watermark: the snapshot it read its events in (pg_current_snapshot()).
-- An export "after" that watermark holds the events whose transaction that snapshot does not see, that is
-- those committed since, whatever their time or event id: a transaction still open during the first export
-- wrote its events with an earlier time and lower ids than some the first export held, and only its
-- transaction id (rowtrail_txid) tells them apart. Those events all have a transaction id at or above the
-- watermark's xmin, so each history table's time BRIN index becomes one on (rowtrail_created_at, rowtrail_txid):
-- both columns follow the order rows are written in, each is summarized on its own, and a single-row write
-- still opens and probes one BRIN index, not two.
--
-- refresh_event_view() (version 5) brings every history table's indexes up to what reads need, and now
-- builds this one too (an invalid one, left by a failed CREATE INDEX CONCURRENTLY, again). Building it reads
-- the whole history table and blocks writes to it meanwhile: on large history tables, create it beforehand
-- with CREATE INDEX CONCURRENTLY under the same name (docs/lifecycle.md), and this finds it. The time-only
-- index it replaces is dropped by the regenerated capture DDL, not here: dropping an index waits for every
-- reader of its table (a running export), and writes would queue behind the drop.

CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.refresh_event_view() RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  branches text[] := '{}';
  definition text;
  marker text;
  previous_timeout text;
  transaction_index regclass;
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
    -- an index left invalid by a failed CREATE INDEX CONCURRENTLY (docs/lifecycle.md) is built again
    transaction_index := to_regclass(format('%s.%I', :ROWTRAIL_SCHEMA_LITERAL, :ROWTRAIL_SCHEMA.identifier_name(t.snapshot_table || '_created_at_txid_idx')));
    IF transaction_index IS NOT NULL AND NOT (SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = transaction_index) THEN
      EXECUTE format('DROP INDEX %s', transaction_index);
      transaction_index := NULL;
    END IF;
    IF transaction_index IS NULL THEN
      EXECUTE format('CREATE INDEX %I ON %s USING brin (rowtrail_created_at, rowtrail_txid)', :ROWTRAIL_SCHEMA.identifier_name(t.snapshot_table || '_created_at_txid_idx'), t.name);
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
