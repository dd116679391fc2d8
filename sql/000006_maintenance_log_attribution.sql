-- Rowtrail core, version 6: the maintenance log records who really opened a window.
--
-- Until version 5 a row of rowtrail.maintenance_log took its user, transaction and time from column
-- defaults, so a transaction could insert a row of its own naming another user and another time, point
-- rowtrail.maintenance at it and change history under that false attribution. The row trigger below
-- overwrites them with the facts of the inserting session, whatever the INSERT says, so every window
-- is attributed to the session that opened it. Rows written before the upgrade are left as they are
-- (the log is never changed). UPDATE, DELETE and TRUNCATE of the log stay refused by its
-- rowtrail_core_append_only trigger (version 2).
--
-- Also: the hint of a refused change to history (kind append_only) named ignore(), which history's
-- triggers never consult; it now names begin_maintenance(), the one way through (the log itself: that it is
-- never changed).

-- The values begin_maintenance() would record: session_user, this transaction, the current time and
-- the session's application_name.
CREATE FUNCTION :ROWTRAIL_SCHEMA.stamp_maintenance_log() RETURNS trigger
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  NEW.db_user := session_user;
  NEW.application_name := nullif(current_setting('application_name', true), '');
  NEW.txid := txid_current();
  NEW.performed_at := clock_timestamp();
  RETURN NEW;
END
$$;

CREATE TRIGGER rowtrail_core_stamp BEFORE INSERT ON :ROWTRAIL_SCHEMA.maintenance_log
  FOR EACH ROW EXECUTE FUNCTION :ROWTRAIL_SCHEMA.stamp_maintenance_log();

-- Raises the error every protection raises (version 2's, with the hint above for history).
CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.raise_protection(
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
    HINT = CASE
      WHEN kind = 'append_only' AND table_name = 'maintenance_log' THEN 'The maintenance log is never changed, not even in a maintenance window.'
      WHEN kind = 'append_only'
      THEN format('History is append-only: for audited maintenance, call %I.begin_maintenance(reason) first in the same transaction.', table_schema)
      ELSE format('Protection "%s" refuses this write; an official interface can run it inside ignore(["%s"], fn).', protection, protection) END;
END
$$;
