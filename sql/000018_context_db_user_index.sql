-- Rowtrail core, version 18: the writes made without application context can be found by their database user.
--
-- A write without a context comment (psql, a migration, a script outside run()) stores a context row per
-- transaction with metadata '{}' and the connection's session_user in db_user; the dashboard names it "root
-- (database, psql)". The filter dbUser selects those contexts by db_user; this index serves it. It is partial, so
-- a request's context row (metadata not '{}') adds no index entry. Building it reads rowtrail.context once, under
-- a lock that lets reads through and makes writes that store a context row wait (seconds per million rows).
CREATE INDEX IF NOT EXISTS context_db_user_idx ON :ROWTRAIL_SCHEMA.context (db_user) WHERE metadata = '{}'::jsonb;
