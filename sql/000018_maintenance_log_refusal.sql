-- Rowtrail core, version 18: a refused change to the maintenance log says that the log is never changed.
--
-- refuse_history_change() (version 2) guards every history table and, with the argument 'strict', the maintenance
-- log. Its message was the same for both: "history table rowtrail.maintenance_log is append-only ... (use
-- begin_maintenance(reason) inside a transaction for audited maintenance)", advice that fails for the log, which a
-- maintenance window does not open (the hint, version 6, said so, the message did not). The log now has a guard of its
-- own that says what it is and that nothing changes it. refuse_history_change() stays as it was: an earlier release of
-- Rowtrail installing into this database compares it with its own files, and would restore the body it knows.
CREATE FUNCTION :ROWTRAIL_SCHEMA.refuse_maintenance_log_change() RETURNS trigger
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM :ROWTRAIL_SCHEMA.raise_protection(TG_TABLE_SCHEMA, TG_TABLE_NAME, 'append_only', 'append_only', TG_OP,
    format('rowtrail: the maintenance log %I.%I is never changed, not even in a maintenance window; cannot %s it',
      TG_TABLE_SCHEMA, TG_TABLE_NAME, lower(TG_OP)));
  RETURN NULL;
END
$$;

DROP TRIGGER rowtrail_core_append_only ON :ROWTRAIL_SCHEMA.maintenance_log;
CREATE TRIGGER rowtrail_core_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON :ROWTRAIL_SCHEMA.maintenance_log
  FOR EACH STATEMENT EXECUTE FUNCTION :ROWTRAIL_SCHEMA.refuse_maintenance_log_change();
