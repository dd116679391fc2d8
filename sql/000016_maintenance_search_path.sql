-- Rowtrail core schema, version 16: the maintenance window's facts cannot be faked through search_path.
--
-- stamp_maintenance_log() (version 6) writes the real transaction and time into each maintenance log row, and
-- refuse_history_change() (version 2) lets a change to history through only when the current transaction opened a
-- logged window. Both called txid_current() and clock_timestamp() by their bare names, looked up in the caller's
-- search_path. A role that may insert into the log and delete history, and create a function in some schema, could put
-- that schema before pg_catalog (SET search_path = own, pg_catalog) with its own txid_current() and clock_timestamp():
-- its log rows then named another transaction and time, and a window another session opened let its DELETE through.
-- Operators (the = comparing the transaction ids) are looked up the same way.
--
-- These functions now run with search_path pg_catalog, pg_temp (PostgreSQL never looks for functions or operators in
-- pg_temp), whatever the caller's; they name every table of Rowtrail's with its schema. begin_maintenance() too, so
-- the setting it writes is the one the guard reads. None of them runs when history is written, only when a window is
-- opened or history is changed, so the setting costs a write nothing.
ALTER FUNCTION :ROWTRAIL_SCHEMA.stamp_maintenance_log() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.refuse_history_change() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.begin_maintenance(text) SET search_path = pg_catalog, pg_temp;
