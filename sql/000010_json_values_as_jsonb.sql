-- Rowtrail core, version 10: json values that jsonb cannot hold no longer make the write fail.
--
-- A diff is jsonb, and so is a record's version as the query API reads it. PostgreSQL's json type keeps its
-- text as written and accepts any JSON escape, but jsonb decodes them into text, which cannot hold
-- \u0000 (NUL) nor a lone UTF-16 surrogate (\ud83d without its pair, as JavaScript's JSON.stringify writes
-- a string cut in the middle of an emoji). Until version 9 a json column holding one made the capture fail,
-- and with it the application's write; reading such a version failed the same way.
--
-- json_as_jsonb(value) is value::jsonb when that works. Otherwise each \u0000 and each lone half of a
-- surrogate pair is kept as text (its backslash escaped, so "\u0000" reads as the six characters \u0000;
-- pairs are decoded as before). A value that still cannot be jsonb (a number beyond numeric's range, or in a
-- database not encoded in UTF-8 an escape of a character its encoding lacks) fails as before. The history
-- table's own json column keeps the value exactly as written.
--
-- The capture and the reads call it only for json text with a \u escape in it (strpos decides); it has an
-- EXCEPTION block, so each call starts a subtransaction, which gets no transaction id (it writes nothing),
-- and is not PARALLEL SAFE (a parallel operation cannot start one).
CREATE FUNCTION :ROWTRAIL_SCHEMA.json_as_jsonb(value json) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  kept    text := '';
  token   text;
  pending text; -- a high surrogate escape, until the next token tells whether its low half follows
BEGIN
  RETURN value::jsonb;
EXCEPTION WHEN data_exception THEN -- class 22: an escape jsonb cannot hold, a number out of numeric's range
  -- The text's tokens: an escaped backslash, a \u escape, another escape, a run without backslashes. \u0000 and
  -- each lone half of a surrogate pair get their backslash escaped (text, not a character); pairs stay.
  FOR token IN SELECT m[1] FROM regexp_matches(value::text, E'(\\\\\\\\|\\\\u[0-9a-fA-F]{4}|\\\\.|[^\\\\]+)', 'g') m LOOP
    IF token ~ E'^\\\\u[dD][c-fC-F]' AND pending IS NOT NULL THEN
      kept := kept || pending || token;
      pending := NULL;
      CONTINUE;
    END IF;
    IF pending IS NOT NULL THEN
      kept := kept || E'\\' || pending;
      pending := NULL;
    END IF;
    IF token ~ E'^\\\\u[dD][89abAB]' THEN
      pending := token;
    ELSIF token = E'\\u0000' OR token ~ E'^\\\\u[dD][c-fC-F]' THEN
      kept := kept || E'\\' || token;
    ELSE
      kept := kept || token;
    END IF;
  END LOOP;
  IF pending IS NOT NULL THEN
    kept := kept || E'\\' || pending;
  END IF;
  RETURN kept::jsonb; -- still failing (a number numeric cannot hold): that error, the write refused whole
END
$$;

COMMENT ON FUNCTION :ROWTRAIL_SCHEMA.json_as_jsonb(json) IS
  'A json value as jsonb; \u0000 and lone surrogate escapes, which jsonb cannot hold, kept as text (see sql/000010).';
