-- Rowtrail core, version 23: the registry records which tables were declared together.
--
-- Status and prune compare the database with one application's declarations (the @Tracked entities and protections
-- of a DataSource, or the specs passed to install() in code). Until version 22 every Rowtrail trigger and history
-- table they did not declare counted as no longer declared, so where two applications (or two DataSources of one
-- application) track tables in the same database, each one's status reported the other's capture as orphaned and
-- its prune dropped it: the other's writes were no longer recorded. Each install now records, for every table it
-- declares (tracked or protected), the tables declared with it in that install:
--   table_name     -- "schema.table" as declared
--   declared_with  -- every table that install declared, this one included, sorted
-- An object of a table the given declarations do not declare is orphaned only when the table has no row here
-- (installed before version 23, or by nobody any more) or its declared_with shares a table with those declarations
-- (the same application, which stopped declaring it); otherwise another application declares it and it is left alone.
-- Tables tracked with `rowtrail install --table` get no row: status and prune never count those as undeclared.
-- Written so that running it again changes nothing.
CREATE TABLE IF NOT EXISTS :ROWTRAIL_SCHEMA.declaration (
  table_name    text PRIMARY KEY,
  declared_with text[] NOT NULL,
  installed_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
