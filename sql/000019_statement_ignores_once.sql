-- Rowtrail core, version 19: the protections a statement's comment ignores are read once per statement.
--
-- protection_ignored() runs for every row a protection lets through or ignores (the versioned increment, soft
-- delete, custom triggers, a refusal under ignore()). It read the statement's text with current_query(), which
-- copies all of it, and cut the comment out with split_part(), which copied the rest of the text once more: a bulk
-- statement whose text grows with its rows (an IN list of ids, a VALUES list) cost rows × text length, 3.5 s for a
-- 32,000-row UPDATE of a versioned table whose UPDATE took 0.26 s with a short text.
--
-- The names the comment ignores are now kept in a transaction-local setting together with the statement's start
-- time: PostgreSQL takes statement_timestamp() anew for every statement a client sends (each message of the
-- extended protocol), and every statement run inside it (a trigger's, a function's) has the same top-level text,
-- so the same comment. Later rows of the statement read the setting and never the text. The key is the time as
-- epoch microseconds, which no DateStyle or TimeZone setting changes. The rowtrail.ignore setting, which a
-- function may change between rows, is read for every row as before. Inside a subtransaction that rolls back the
-- setting returns to what it was, which is only a cache miss.
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
      IF jsonb_typeof(ignoring) <> 'array' OR jsonb_path_exists(ignoring, '$[*] ? (@.type() != "string")') THEN
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
