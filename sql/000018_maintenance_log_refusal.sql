-- Rowtrail core, version 18: a refused change to the maintenance log says that the log is never changed.
--
-- refuse_history_change() (version 2) guards every history table and, with the argument 'strict', the maintenance
-- log. Its message was the same for both: "history table rowtrail.maintenance_log is append-only ... (use
-- begin_maintenance(reason) inside a transaction for audited maintenance)", advice that fails for the log, which a
-- maintenance window does not open (the hint, version 6, said so, the message did not). The log's refusal now says
-- what it is and that nothing changes it. Same rules and search_path as before (versions 2 and 16).
CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.refuse_history_change() RETURNS trigger
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  window_id bigint := nullif(current_setting('rowtrail.maintenance', true), '')::bigint;
BEGIN
  IF TG_NARGS = 0 AND window_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM :ROWTRAIL_SCHEMA.maintenance_log WHERE id = window_id AND txid = txid_current()
  ) THEN
    RETURN NULL;
  END IF;
  PERFORM :ROWTRAIL_SCHEMA.raise_protection(TG_TABLE_SCHEMA, TG_TABLE_NAME, 'append_only', 'append_only', TG_OP,
    CASE WHEN TG_NARGS > 0
      THEN format('rowtrail: the maintenance log %I.%I is never changed, not even in a maintenance window; cannot %s it',
        TG_TABLE_SCHEMA, TG_TABLE_NAME, lower(TG_OP))
      ELSE format('rowtrail: history table %I.%I is append-only; cannot %s it (use %I.begin_maintenance(reason) inside a transaction for audited maintenance)',
        TG_TABLE_SCHEMA, TG_TABLE_NAME, lower(TG_OP), TG_TABLE_SCHEMA) END);
  RETURN NULL;
END
$$;
