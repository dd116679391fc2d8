-- Rowtrail core, version 3: a cheaper context_id() for request-style writes.
--
-- Version 1 looked the context up (an index probe on context.id) before
-- inserting it, once per transaction. That probe was a sizeable part of what a
-- single-row write paid for its history. Now the session remembers the last
-- application context it stored, in the session-level setting
-- rowtrail.app_context = '<schema>|<context id>|<xid of the storing transaction>':
-- * it is only a cache keyed by this schema and the id in the statement's own
--   comment: the context still travels with every statement, and a session
--   that never saw the id (another pooled connection, a new session) stores the
--   row again; context.id is not unique by design and readers take the earliest;
-- * it counts only while the storing transaction is this one or committed
--   (pg_xact_status): a session setting survives PREPARE TRANSACTION and
--   ROLLBACK PREPARED, while a plain rollback, a rollback to a savepoint and a
--   failed PL/pgSQL block undo it together with the row.
-- Transactions without application context keep a transaction-local context
-- (rowtrail.context = 'db:<uuid>'), as in version 1.
CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.context_id() RETURNS uuid
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  query_text text := current_query();
  cached     text;
  known      text;
  payload    jsonb;
  ctx_id     uuid;
  stored_in  xid8;
BEGIN
  IF starts_with(query_text, '/*rowtrail:') THEN
    -- the comment starts with {"id":"<uuid>": compare before parsing anything
    known := :ROWTRAIL_SCHEMA_LITERAL || '|' || substr(query_text, 19, 36) || '|';
    cached := current_setting('rowtrail.app_context', true);
    IF starts_with(cached, known) THEN
      stored_in := substr(cached, length(known) + 1)::xid8;
      IF stored_in = pg_current_xact_id() OR pg_xact_status(stored_in) = 'committed' THEN
        RETURN substr(query_text, 19, 36)::uuid;
      END IF;
    END IF;
    payload := substr(query_text, 12, strpos(query_text, '*/') - 12)::jsonb;
    ctx_id := (payload ->> 'id')::uuid;
    INSERT INTO :ROWTRAIL_SCHEMA.context (id, metadata, application_name)
    VALUES (ctx_id, coalesce(payload -> 'm', '{}'), nullif(current_setting('application_name', true), ''));
    PERFORM set_config('rowtrail.app_context', :ROWTRAIL_SCHEMA_LITERAL || '|' || ctx_id::text || '|' || pg_current_xact_id()::text, false);
    RETURN ctx_id;
  END IF;

  -- No application context: attribute the transaction to the database session.
  cached := current_setting('rowtrail.context', true);
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
