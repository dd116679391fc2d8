-- Rowtrail core, version 22: jsonb field access that a writer's search_path cannot take over.
--
-- Version 21 made every function and operator the captures and protections call resolve to pg_catalog's, but
-- missed one form: jsonb -> 'name' and ->> 'name' with a literal. pg_catalog has these operators for text and
-- integer keys only, and PostgreSQL takes an untyped literal as the type of the other operand when it looks for an
-- exact match, so a -> (jsonb, jsonb) in any schema on the writer's search_path wins over pg_catalog's: planted
-- code ran inside save_context() (every write in a new request context), statement_context_id() (a context comment
-- written by hand), protection_ignored() (every row ignore() lets through) and context_id() (triggers installed
-- before version 5), as the writing role. They now name the operator, OPERATOR(pg_catalog.->), rather than set
-- search_path, which would cost every tracked write a settings switch. Otherwise as in versions 3, 12, 15 and 21.
-- The capture functions each tracked table gets name it too (rewritten by the next install of the table), and the
-- install-time functions that list a table's unrecorded columns run with search_path pg_catalog, pg_temp.

CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.save_context(query text, ctx uuid) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  known  text;
  cached text;
  stored_in xid8;
  comment jsonb;
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
    -- split_part finds the JSON by bytes; substr would count the characters of the whole statement. The driver's
    -- comment always parses; one written by hand in its form ({"id":"<uuid>"… first) that does not fails here with
    -- PostgreSQL's json error (catching it would cost every new context a subtransaction).
    comment := split_part(split_part(query, '/*rowtrail:', 2), '*/', 1)::jsonb;
    IF jsonb_typeof(comment OPERATOR(pg_catalog.->) 'm') <> 'object' THEN
      comment := :ROWTRAIL_SCHEMA.context_comment(query);
    END IF;
    INSERT INTO :ROWTRAIL_SCHEMA.context (id, metadata, application_name)
    VALUES (ctx, coalesce(comment OPERATOR(pg_catalog.->) 'm', '{}'), nullif(current_setting('application_name', true), ''));
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

CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.statement_context_id(query text) RETURNS uuid
LANGUAGE sql VOLATILE AS $$
  SELECT CASE
    WHEN query IS NULL OR NOT starts_with(query, '/*rowtrail:') THEN
      coalesce(nullif(current_setting('rowtrail.db_context_' || md5(:ROWTRAIL_SCHEMA_LITERAL), true), '')::uuid, gen_random_uuid())
    -- the application writes {"id":"<36-character uuid>" first: read it without parsing the JSON
    WHEN starts_with(query, '/*rowtrail:{"id":"') AND strpos(substr(query, 19, 38), '"') = 37 THEN substr(query, 19, 36)::uuid
    ELSE (:ROWTRAIL_SCHEMA.context_comment(query) OPERATOR(pg_catalog.->>) 'id')::uuid
  END
$$;

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
    ctx_id := (payload OPERATOR(pg_catalog.->>) 'id')::uuid;
    INSERT INTO :ROWTRAIL_SCHEMA.context (id, metadata, application_name)
    VALUES (ctx_id, coalesce(payload OPERATOR(pg_catalog.->) 'm', '{}'), nullif(current_setting('application_name', true), ''));
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

CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.protection_ignored(table_schema text, table_name text, protection text) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  statement_key text := extract(epoch FROM statement_timestamp())::text || ' ';
  cached        text := current_setting('rowtrail.statement_ignores', true);
  query_text    text;
  comment_end   integer;
  ignoring      jsonb;
  names         jsonb := '[]';
BEGIN
  IF starts_with(cached, statement_key) THEN
    ignoring := substr(cached, length(statement_key) + 1)::jsonb;
  ELSE
    query_text := current_query();
    IF starts_with(query_text, '/*rowtrail:{"id":"') THEN
      -- the comment only, not the rest of the text; without an end the JSON fails to parse, as before
      comment_end := strpos(query_text, '*/');
      ignoring := (CASE WHEN comment_end > 0 THEN substr(query_text, 12, comment_end - 12) ELSE substr(query_text, 12) END)::jsonb OPERATOR(pg_catalog.->) 'ig';
      IF jsonb_typeof(ignoring) <> 'array' OR pg_catalog.jsonb_path_exists(ignoring, '$[*] ? (@.type() != "string")'::pg_catalog.jsonpath) THEN
        ignoring := :ROWTRAIL_SCHEMA.context_comment(query_text) OPERATOR(pg_catalog.->) 'ig';
      END IF;
    ELSIF starts_with(query_text, '/*rowtrail:') THEN
      ignoring := :ROWTRAIL_SCHEMA.context_comment(query_text) OPERATOR(pg_catalog.->) 'ig';
    END IF;
    ignoring := coalesce(ignoring, '[]');
    PERFORM set_config('rowtrail.statement_ignores', statement_key || ignoring::text, true);
  END IF;
  -- read (and checked) only when set: most protected rows are written without it
  IF nullif(current_setting('rowtrail.ignore', true), '') IS NOT NULL THEN
    names := :ROWTRAIL_SCHEMA.ignored_protections();
  END IF;
  names := names || ignoring;
  RETURN names ?| ARRAY[protection, table_name || ':' || protection, table_schema || '.' || table_name || ':' || protection];
END
$$;

ALTER FUNCTION :ROWTRAIL_SCHEMA.unrecorded_columns(text, regclass) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.record_unrecorded_columns(text, regclass) SET search_path = pg_catalog, pg_temp;
