-- Rowtrail core schema, version 1.
-- ":ROWTRAIL_SCHEMA" is replaced by the installer with the quoted schema name.
-- Per-table snapshot tables and their triggers are generated (see
-- packages/server/src/ddl) because their diff expressions are built per column.

-- One id space for every history event: a diff row and its snapshot row share it.
CREATE SEQUENCE :ROWTRAIL_SCHEMA.event_id_seq AS bigint;

-- One row per request context (an HTTP request, a job, a script run), or per
-- transaction when a write arrives without application context.
-- id is deliberately not unique: a unique index would make a second transaction
-- of the same request wait for the first one's uncommitted context row (a hang
-- when the application awaits the second inside the first). Concurrent
-- transactions of one request may each insert the (identical) row; readers take
-- the earliest.
CREATE TABLE :ROWTRAIL_SCHEMA.context (
  id               uuid        NOT NULL,
  metadata         jsonb       NOT NULL DEFAULT '{}',
  db_user          text        NOT NULL DEFAULT session_user,
  application_name text,
  created_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX context_id_idx ON :ROWTRAIL_SCHEMA.context (id);
CREATE INDEX context_user_idx ON :ROWTRAIL_SCHEMA.context ((metadata ->> 'user'));
CREATE INDEX context_request_idx ON :ROWTRAIL_SCHEMA.context ((metadata ->> 'requestId'));

-- Registry of tracked tables: the only source of identifiers for queries.
CREATE TABLE :ROWTRAIL_SCHEMA.tracked_table (
  table_name     text        PRIMARY KEY, -- "schema.table" of the source table
  snapshot_table text        NOT NULL UNIQUE, -- table name inside the Rowtrail schema
  primary_key    text[]      NOT NULL,
  columns        jsonb       NOT NULL, -- [{name, type}] as snapshotted
  excluded       text[]      NOT NULL DEFAULT '{}',
  ignored        text[]      NOT NULL DEFAULT '{}',
  ddl_hash       text        NOT NULL,
  installed_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- One row per changed row. changes holds {column: [old, new]} for updates and
-- the full row ({column: value}) for inserts and deletes.
CREATE TABLE :ROWTRAIL_SCHEMA.diff (
  event_id       bigint      PRIMARY KEY,
  table_name     text        NOT NULL,
  record_key     jsonb       NOT NULL,
  old_record_key jsonb,      -- set only when an update changed the primary key
  operation      text        NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE')),
  changes        jsonb       NOT NULL,
  label          text,
  context_id     uuid,       -- no foreign key: row-by-row RI checks would dominate bulk writes
  txid           bigint      NOT NULL,
  created_at     timestamptz NOT NULL
);
CREATE INDEX diff_record_idx ON :ROWTRAIL_SCHEMA.diff (table_name, record_key, event_id);
CREATE INDEX diff_context_idx ON :ROWTRAIL_SCHEMA.diff (context_id, event_id);
CREATE INDEX diff_created_at_idx ON :ROWTRAIL_SCHEMA.diff USING brin (created_at);

-- Resolves the context of the statement being executed.
-- The application adapter prefixes every statement with
--   /*rowtrail:{"id":"<uuid>","m":{...metadata}}*/
-- so the context travels inside the statement itself: no extra round trip,
-- nothing left on the session. Every "*" inside the JSON is sent as \u002a,
-- so the comment cannot end or nest early.
-- The resolved id is cached for the transaction (set_config(..., true)), so a
-- transaction inserts its context row once.
CREATE FUNCTION :ROWTRAIL_SCHEMA.context_id() RETURNS uuid
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  query_text text := current_query();
  cached     text := nullif(current_setting('rowtrail.context', true), '');
  payload    jsonb;
  ctx_id     uuid;
BEGIN
  IF starts_with(query_text, '/*rowtrail:') THEN
    -- fast path: the comment starts with {"id":"<uuid>" and this transaction already stored it
    IF cached = 'app:' || substr(query_text, 19, 36) THEN
      RETURN substr(query_text, 19, 36)::uuid;
    END IF;
    payload := substr(query_text, 12, strpos(query_text, '*/') - 12)::jsonb;
    ctx_id := (payload ->> 'id')::uuid;
    IF NOT EXISTS (SELECT 1 FROM :ROWTRAIL_SCHEMA.context WHERE id = ctx_id) THEN
      INSERT INTO :ROWTRAIL_SCHEMA.context (id, metadata, application_name)
      VALUES (ctx_id, coalesce(payload -> 'm', '{}'), nullif(current_setting('application_name', true), ''));
    END IF;
    PERFORM set_config('rowtrail.context', 'app:' || ctx_id::text, true);
    RETURN ctx_id;
  END IF;

  -- No application context: attribute the transaction to the database session.
  IF starts_with(cached, 'db:') THEN
    RETURN substr(cached, 4)::uuid;
  END IF;
  ctx_id := gen_random_uuid();
  INSERT INTO :ROWTRAIL_SCHEMA.context (id, metadata, application_name)
  VALUES (ctx_id, '{}', nullif(current_setting('application_name', true), ''));
  PERFORM set_config('rowtrail.context', 'db:' || ctx_id::text, true);
  RETURN ctx_id;
END
$$;
