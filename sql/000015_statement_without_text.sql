-- Rowtrail core schema, version 15.
-- A statement may reach a tracked table without any query text: current_query() is NULL in a fast-path
-- function call (libpq's PQfn) and may be in a background worker. statement_context_id(NULL) went on to
-- context_comment(NULL), which raised its error about a malformed comment, so every such write failed.
-- It is now a write without application context, as one whose text has no comment: attributed to
-- session_user and application_name. save_context() and protection_ignored() already read NULL so.
CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.statement_context_id(query text) RETURNS uuid
LANGUAGE sql VOLATILE AS $$
  SELECT CASE
    WHEN query IS NULL OR NOT starts_with(query, '/*rowtrail:') THEN
      coalesce(nullif(current_setting('rowtrail.db_context_' || md5(:ROWTRAIL_SCHEMA_LITERAL), true), '')::uuid, gen_random_uuid())
    -- the application writes {"id":"<36-character uuid>" first: read it without parsing the JSON
    WHEN starts_with(query, '/*rowtrail:{"id":"') AND strpos(substr(query, 19, 38), '"') = 37 THEN substr(query, 19, 36)::uuid
    ELSE (:ROWTRAIL_SCHEMA.context_comment(query) ->> 'id')::uuid
  END
$$;
