-- Rowtrail core, version 9: the registry records who declared each tracked table.
--
-- Tables are tracked two ways: by an application's declarations (@Tracked entities through a DataSource,
-- or specs passed to install() in code, and the migrations generated from them), and by
-- `rowtrail install --table`, which reads a table's columns and key from the catalog. Status and prune
-- compare the database with one application's declarations; until version 8 every registered table
-- the application did not declare counted as no longer declared, so `prune --data-source` removed the
-- capture of the tables tracked with --table. The column lets them tell the two apart:
--   'application' -- declared by an application (every row written before version 9)
--   'catalog'     -- declared by `rowtrail install --table`: checked against the catalog, never pruned as undeclared
--   NULL          -- declared by nobody any more: `rowtrail untrack` removed its capture and kept its history
ALTER TABLE :ROWTRAIL_SCHEMA.tracked_table
  ADD COLUMN declared_by text DEFAULT 'application' CHECK (declared_by IN ('application', 'catalog'));
