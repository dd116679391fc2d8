-- Rowtrail core, version 21: the functions protections run cannot be taken over through search_path.
--
-- PostgreSQL searches pg_catalog first, but takes the best match of a call's argument types from every schema on the
-- search_path: a function of the exact argument types in another schema wins over pg_catalog's polymorphic or
-- variadic one (to_jsonb(anyelement), jsonb_build_object(VARIADIC "any"), format(text, VARIADIC "any"),
-- jsonb_path_exists with a literal path, text[] || text). A role that may create functions in a schema on a writing
-- role's search_path (public, on PostgreSQL 14 for every role) could have its own code run inside these functions, as
-- the writing role, and change what a protection refuses or what its refusal says. They now run with search_path
-- pg_catalog, pg_temp, as the maintenance functions have since version 16. The capture functions each tracked table
-- gets name pg_catalog for such calls themselves (no setting to change on every write); save_context(), context_id()
-- and statement_context_id(), which every tracked write runs, make no such call, and protection_ignored(), which the
-- protections that let rows through run for every row (a settings switch would cost a bulk update of a @Versioned
-- table a quarter more), names pg_catalog for its one (jsonb_path_exists with a literal path), as in version 19 otherwise.
ALTER FUNCTION :ROWTRAIL_SCHEMA.protect() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.raise_protection(text, text, text, text, text, text, jsonb, jsonb) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.refuse_read_only_change() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.ignored_protections() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.ignore_protections(text[]) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.context_comment(text) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION :ROWTRAIL_SCHEMA.refresh_event_view() SET search_path = pg_catalog, pg_temp;

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
      ignoring := (CASE WHEN comment_end > 0 THEN substr(query_text, 12, comment_end - 12) ELSE substr(query_text, 12) END)::jsonb -> 'ig';
      IF jsonb_typeof(ignoring) <> 'array' OR pg_catalog.jsonb_path_exists(ignoring, '$[*] ? (@.type() != "string")'::pg_catalog.jsonpath) THEN
        ignoring := :ROWTRAIL_SCHEMA.context_comment(query_text) -> 'ig';
      END IF;
    ELSIF starts_with(query_text, '/*rowtrail:') THEN
      ignoring := :ROWTRAIL_SCHEMA.context_comment(query_text) -> 'ig';
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
