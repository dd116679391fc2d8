import { dollarQuote } from '../ddl/dollar-quote.js';
import { qualified, quoteLiteral } from '../ddl/quote.js';

/**
 * A statement that fails when the soft delete's field or a primary-key column is not a column of the table (its
 * function names them only in its body, checked when a DELETE runs it), or when the table has a foreign key with ON DELETE
 * CASCADE, naming the table and the constraint. Soft delete turns every
 * DELETE of the table into an UPDATE, including the DELETE PostgreSQL runs for
 * a cascade: the referenced row would go and the row referencing it would
 * stay, pointing at nothing, with no error (PostgreSQL does not check a
 * cascade's result again). Runs before the soft delete's trigger and function are created, inside
 * the install's transaction (or the generated migration's), so a refused
 * install changes nothing. A constraint added after the install is not seen.
 *
 * It also fails on a partitioned table and on a partition: an UPDATE that moves
 * a row to another partition runs as a DELETE from the old partition (firing its
 * BEFORE DELETE triggers) and an INSERT into the new one, so soft delete would
 * mark the row deleted and leave it where it was, and the UPDATE would report
 * no row, with no error.
 */
export function softDeleteCascadeCheck(schema: string, table: string, protection: string, columns: string[]): string {
  const name = qualified(schema, table);
  const body = `
DECLARE
  cascade_fk text;
  partitioned boolean;
  partition_of text;
  missing text;
BEGIN
  -- the trigger's function names them only in its body, which PostgreSQL checks when a DELETE runs it: every DELETE would fail
  SELECT string_agg(quote_ident(c.name), ', ' ORDER BY c.ord) INTO missing
  FROM unnest(ARRAY[${columns.map(quoteLiteral).join(', ')}]::text[]) WITH ORDINALITY AS c(name, ord)
  WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = ${quoteLiteral(name)}::regclass AND a.attname = c.name AND a.attnum > 0 AND NOT a.attisdropped);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION USING
      ERRCODE = 'undefined_column',
      MESSAGE = format('Rowtrail: soft delete %s cannot be installed on table %s: it has no column %s (its field and primary key)',
        ${quoteLiteral(JSON.stringify(protection))}, ${quoteLiteral(`${schema}.${table}`)}, missing),
      HINT = 'Name the field and the primary key by their database column names.';
  END IF;
  SELECT c.relkind = 'p', (SELECT i.inhparent::regclass::text FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid AND c.relispartition)
  INTO partitioned, partition_of FROM pg_catalog.pg_class c WHERE c.oid = ${quoteLiteral(name)}::regclass;
  IF partitioned OR partition_of IS NOT NULL THEN
    RAISE EXCEPTION USING
      ERRCODE = 'feature_not_supported',
      MESSAGE = format('Rowtrail: soft delete %s cannot be installed on table %s: %s, and an UPDATE that moves a row to another partition '
        || 'runs as a DELETE, which soft delete would turn into marking the row deleted instead of moving it',
        ${quoteLiteral(JSON.stringify(protection))}, ${quoteLiteral(`${schema}.${table}`)},
        CASE WHEN partitioned THEN 'it is a partitioned table' ELSE 'it is a partition of ' || partition_of END),
      HINT = 'Soft delete a regular table.';
  END IF;
  SELECT c.conname INTO cascade_fk FROM pg_catalog.pg_constraint c
  WHERE c.conrelid = ${quoteLiteral(name)}::regclass AND c.contype = 'f' AND c.confdeltype = 'c'
  ORDER BY c.conname LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING
      ERRCODE = 'feature_not_supported',
      MESSAGE = format('Rowtrail: soft delete %s cannot be installed on table %s: its foreign key %I deletes its rows ON DELETE CASCADE, '
        || 'which soft delete would turn into updates, leaving rows that reference a deleted row',
        ${quoteLiteral(JSON.stringify(protection))}, ${quoteLiteral(`${schema}.${table}`)}, cascade_fk),
      HINT = 'Declare the foreign key ON DELETE RESTRICT or NO ACTION (a referenced row then cannot be deleted while rows reference it), or ON DELETE SET NULL.';
  END IF;
END
`;
  return `DO ${dollarQuote(body)}`;
}
