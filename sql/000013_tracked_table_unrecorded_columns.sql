-- Rowtrail core, version 13: the registry records which columns of a tracked table its history leaves out.
--
-- An application's history records the columns its entities map; a column the table has but no entity maps
-- (one another service writes, say) is not recorded. `rowtrail status` without the entities (databaseStatus())
-- compares the source table with the registry to report columns added since the install, and could not tell
-- such a column from a new one: it reported it as drift, and as outdated, after every install. The new column
-- lists the table's columns that were neither recorded nor excluded when the table was last installed:
--   text[]  -- those columns (empty when every column is recorded or excluded)
--   NULL    -- not known: installed before version 13, until the next install records it
-- Virtual generated columns (PostgreSQL 18) are never recorded and are not listed: status leaves them out anyway.
-- Written so that running it again changes nothing.
ALTER TABLE :ROWTRAIL_SCHEMA.tracked_table ADD COLUMN IF NOT EXISTS unrecorded text[];

-- The columns `source` has now that the registry row of `tracked` neither records (columns) nor excludes, in column
-- order; stored columns only.
CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.unrecorded_columns(tracked text, source regclass) RETURNS text[]
LANGUAGE sql STABLE AS $$
  SELECT coalesce(pg_catalog.array_agg(a.attname::text ORDER BY a.attnum), '{}')
  FROM :ROWTRAIL_SCHEMA.tracked_table r
  JOIN pg_catalog.pg_attribute a ON a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated <> 'v'
    AND a.attname::text <> ALL (ARRAY(SELECT c ->> 'name' FROM pg_catalog.jsonb_array_elements(r.columns) c) || coalesce(r.excluded, '{}'))
  WHERE r.table_name = tracked
$$;

-- Records them in tracked_table.unrecorded. Install and generated migrations call it after writing the row, so it
-- reads the catalog of the database the install runs in. Writes only when the list changed.
CREATE OR REPLACE FUNCTION :ROWTRAIL_SCHEMA.record_unrecorded_columns(tracked text, source regclass) RETURNS void
LANGUAGE sql VOLATILE AS $$
  UPDATE :ROWTRAIL_SCHEMA.tracked_table t
  SET unrecorded = now_unrecorded.names
  FROM (SELECT :ROWTRAIL_SCHEMA.unrecorded_columns(tracked, source) AS names) now_unrecorded
  WHERE t.table_name = tracked AND t.unrecorded IS DISTINCT FROM now_unrecorded.names
$$;
