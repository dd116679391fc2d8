-- Rowtrail core, version 12: a context comment that cannot be read is refused with an error saying why.
--
-- The Rowtrail driver writes /*rowtrail:{"id":"<uuid>","m":{...}}*/ itself and checks what it sends.
-- Other clients (psql, a job in another language) may write one by hand. Until now one that was not
-- JSON, not an object, had no "id" or an "id" that is not a UUID made the write fail with PostgreSQL's
-- bare json, uuid or not-null error from inside a capture or protection function, and an "m" that was
-- not an object (a string, an array) was stored as the context's metadata. Such a write still fails,
-- writing nothing, but the error now names the comment and what is wrong with it; so does a
-- rowtrail.ignore setting written by hand that is not a JSON array of names.
--
-- The driver's own comments keep their path: save_context() parses the comment once, as before, and only
-- metadata that is not an object goes to context_comment() for the error. A comment that starts as the driver's
-- does ({"id":"<uuid>"…) is read without context_comment(), so one of that form that is not valid JSON still
-- fails with PostgreSQL's json error (it names the bad token), and one whose 36 characters are not a UUID with its
-- uuid error: catching those would cost every new context a subtransaction.

-- The JSON of the running statement's leading /*rowtrail:…*/ comment, checked: an object whose "id" is
-- a UUID in a string, whose "m" (metadata), when present, is an object, and whose "ig" (protections
-- ignored by the application's ignore()), when present, is an array of strings. Raises an error that
-- says what is wrong otherwise (SQLSTATE 22023).
CREATE FUNCTION :ROWTRAIL_SCHEMA.context_comment(query text) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
  body    text := split_part(split_part(query, '/*rowtrail:', 2), '*/', 1);
  comment jsonb;
  problem text;
  detail  text;
BEGIN
  BEGIN
    comment := body::jsonb;
  EXCEPTION WHEN data_exception OR program_limit_exceeded THEN
    GET STACKED DIAGNOSTICS problem = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
    problem := format('it is not valid JSON (%s%s)', problem, coalesce(': ' || nullif(detail, ''), ''));
  END;
  IF problem IS NULL THEN
    problem := CASE
      WHEN jsonb_typeof(comment) <> 'object' THEN format('it must be a JSON object, not %s', left(comment::text, 60))
      WHEN coalesce(jsonb_typeof(comment -> 'id'), 'null') = 'null' THEN '"id" (the context''s UUID) is missing'
      WHEN jsonb_typeof(comment -> 'id') <> 'string' THEN format('"id" must be a UUID in a JSON string, not %s', left((comment -> 'id')::text, 60))
      WHEN jsonb_typeof(comment -> 'm') <> 'object' THEN format('"m" (the metadata) must be a JSON object, not %s', left((comment -> 'm')::text, 60))
      WHEN jsonb_typeof(comment -> 'ig') <> 'array' OR jsonb_path_exists(comment -> 'ig', '$[*] ? (@.type() != "string")') THEN
        format('"ig" (the protections to ignore) must be an array of names in strings, not %s', left((comment -> 'ig')::text, 60))
    END;
  END IF;
  IF problem IS NULL THEN
    BEGIN
      PERFORM (comment ->> 'id')::uuid;
    EXCEPTION WHEN invalid_text_representation THEN
      problem := format('"id" is not a UUID: %s', left((comment -> 'id')::text, 60));
    END;
  END IF;
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'rowtrail: cannot read the context comment /*rowtrail:…*/ at the start of the statement: %', problem
      USING ERRCODE = 'invalid_parameter_value',
        DETAIL = format('The comment holds: %s', CASE WHEN length(body) > 200 THEN left(body, 200) || '…' ELSE body END),
        HINT = 'Write it as /*rowtrail:{"id":"<uuid>","m":{…}}*/ (as the Rowtrail driver does), or leave it out: the write is then attributed to session_user and application_name.';
  END IF;
  RETURN comment;
END
$$;

-- As in version 5; a comment that does not start with the driver's {"id":"<uuid>" is read (and
-- checked) by context_comment().
CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.statement_context_id(query text) RETURNS uuid
LANGUAGE sql VOLATILE AS $$
  SELECT CASE
    WHEN NOT starts_with(query, '/*rowtrail:') THEN
      coalesce(nullif(current_setting('rowtrail.db_context_' || md5(:ROWTRAIL_SCHEMA_LITERAL), true), '')::uuid, gen_random_uuid())
    -- the application writes {"id":"<36-character uuid>" first: read it without parsing the JSON
    WHEN starts_with(query, '/*rowtrail:{"id":"') AND strpos(substr(query, 19, 38), '"') = 37 THEN substr(query, 19, 36)::uuid
    ELSE (:ROWTRAIL_SCHEMA.context_comment(query) ->> 'id')::uuid
  END
$$;

-- As in version 5, except that the metadata is stored only when the comment parses and "m" is an
-- object; otherwise context_comment() raises the error that says what is wrong.
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
    IF jsonb_typeof(comment -> 'm') <> 'object' THEN
      comment := :ROWTRAIL_SCHEMA.context_comment(query);
    END IF;
    INSERT INTO :ROWTRAIL_SCHEMA.context (id, metadata, application_name)
    VALUES (ctx, coalesce(comment -> 'm', '{}'), nullif(current_setting('application_name', true), ''));
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

-- The protections ignored for the rest of the transaction by ignore_protections(): the setting
-- rowtrail.ignore as a JSON array of names ('[]' when unset). Raises an error naming the setting when
-- it holds anything else (written by hand); one that starts as an array but is not JSON fails with
-- PostgreSQL's json error (a protection calls this for each row it refuses or lets through: no
-- subtransaction to catch it).
CREATE FUNCTION :ROWTRAIL_SCHEMA.ignored_protections() RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
  setting text := nullif(current_setting('rowtrail.ignore', true), '');
  names   jsonb;
BEGIN
  IF setting IS NULL THEN
    RETURN '[]';
  END IF;
  IF starts_with(ltrim(setting), '[') THEN
    names := setting::jsonb;
  END IF;
  IF jsonb_typeof(names) IS DISTINCT FROM 'array' OR jsonb_path_exists(names, '$[*] ? (@.type() != "string")') THEN
    RAISE EXCEPTION 'rowtrail: the setting rowtrail.ignore must hold a JSON array of protection names; it holds %',
      CASE WHEN length(setting) > 200 THEN left(setting, 200) || '…' ELSE setting END
      USING ERRCODE = 'invalid_parameter_value',
        HINT = format('Add names with SELECT %s.ignore_protections(ARRAY[''name'']), or clear it with RESET rowtrail.ignore.', :ROWTRAIL_SCHEMA_LITERAL);
  END IF;
  RETURN names;
END
$$;

-- As in version 2, with the names checked: a null array or a null or empty name is refused.
CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.ignore_protections(names text[]) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF names IS NULL OR array_position(names, NULL) IS NOT NULL OR '' = ANY (names) THEN
    RAISE EXCEPTION 'rowtrail: ignore_protections() takes an array of protection names; got %', coalesce(names::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'A name is "name", "table:name" or "schema.table:name".';
  END IF;
  PERFORM set_config('rowtrail.ignore', (:ROWTRAIL_SCHEMA.ignored_protections() || to_jsonb(names))::text, true);
END
$$;

-- As in version 2, with the comment's "ig" and the setting rowtrail.ignore checked. Runs for each row a
-- protection refuses or lets through (the versioned increment, soft delete, custom triggers): a comment in
-- the driver's form is parsed directly, as save_context() does, and context_comment(), whose checks cost
-- subtransactions, reads only one in another form or whose "ig" is not an array of names (for the error).
CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.protection_ignored(table_schema text, table_name text, protection text) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  query_text text := current_query();
  names      jsonb := '[]';
  ignoring   jsonb;
BEGIN
  -- read (and checked) only when set: most protected rows are written without it
  IF nullif(current_setting('rowtrail.ignore', true), '') IS NOT NULL THEN
    names := :ROWTRAIL_SCHEMA.ignored_protections();
  END IF;
  IF starts_with(query_text, '/*rowtrail:{"id":"') THEN
    ignoring := split_part(split_part(query_text, '/*rowtrail:', 2), '*/', 1)::jsonb -> 'ig';
    IF jsonb_typeof(ignoring) <> 'array' OR jsonb_path_exists(ignoring, '$[*] ? (@.type() != "string")') THEN
      ignoring := :ROWTRAIL_SCHEMA.context_comment(query_text) -> 'ig';
    END IF;
    names := names || coalesce(ignoring, '[]');
  ELSIF starts_with(query_text, '/*rowtrail:') THEN
    names := names || coalesce(:ROWTRAIL_SCHEMA.context_comment(query_text) -> 'ig', '[]');
  END IF;
  RETURN names ?| ARRAY[protection, table_name || ':' || protection, table_schema || '.' || table_name || ':' || protection];
END
$$;
