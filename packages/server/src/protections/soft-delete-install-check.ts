import { dollarQuote } from '../ddl/dollar-quote.js';
import { qualified, quoteIdent, quoteLiteral } from '../ddl/quote.js';
import { refuseWhenPostgresRefuses } from './install-check.js';

export type SoftDeleteValue = string | number | boolean | null;

/** The soft delete's value as an SQL literal (a string is an untyped literal, read by the field type's input function). */
export function softDeleteValueSql(value: SoftDeleteValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Rowtrail: soft delete value ${value} is not a finite number`);
    return String(value);
  }
  return quoteLiteral(value);
}

/**
 * PL/pgSQL that refuses a DELETE of a table attached as a partition since its soft delete was installed (install
 * refuses a partition): an UPDATE that moves a row to another partition runs as a DELETE here, which the soft delete
 * would turn into marking the row deleted, the UPDATE reporting no row. One catalog lookup per deleted row.
 */
export function refuseOnPartition(protection: string): string {
  return `
  IF (SELECT c.relispartition FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID) THEN
    RAISE EXCEPTION 'Rowtrail: soft delete % of table %.% refused: the table became a partition after the soft delete was installed, and a row moved to another partition leaves it by a DELETE, which the soft delete would turn into marking the row deleted', ${quoteLiteral(protection)}, TG_TABLE_SCHEMA, TG_TABLE_NAME
      USING ERRCODE = 'object_not_in_prerequisite_state',
        HINT = 'Take the soft delete off the table (declare it no more, then rowtrail prune), or detach the partition.';
  END IF;`;
}

/**
 * The PL/pgSQL statements of a soft delete's function that mark the deleted row (OLD) by its primary key. A string
 * value is assigned to OLD's field as text first, which PL/pgSQL casts to the field's type when each DELETE runs: as
 * a literal in the UPDATE it would be read once, when PL/pgSQL caches the statement's plan, so a value such as
 * 'now' (timestamps) or 'today' (dates) would keep the first DELETE's time for the rest of the session. Both read
 * the string with the type's input function (or its cast from text), and the install-time check
 * (softDeleteInstallCheck) reads it as the literal once, so a string the type cannot read is refused there. When the
 * field is a primary-key column, OLD's key must stay as it was, and the value is the literal.
 */
export function softDeleteMark(table: string, field: string, primaryKey: string[], value: SoftDeleteValue, protection: string): string {
  const f = quoteIdent(field);
  // ONLY: in an inheritance hierarchy, a child table's row with the same key is another row
  const key = primaryKey.map((k) => `${quoteIdent(k)} = OLD.${quoteIdent(k)}`).join(' AND ');
  const mark = typeof value !== 'string' || primaryKey.includes(field)
    ? `  UPDATE ONLY ${table} SET ${f} = ${softDeleteValueSql(value)} WHERE ${key};`
    : `  -- read when each DELETE runs: a literal would be read once, when the plan is cached ('now' would stay the first DELETE's time)
  OLD.${f} := ${quoteLiteral(value)}::text;
  UPDATE ONLY ${table} SET ${f} = OLD.${f} WHERE ${key};`;
  // The DELETE reports no row either way: a mark that changed no row (row-level security lets this role delete the row
  // but not update it; a NULL in a hand-written spec's key) or several (that key is not unique) must not pass for one.
  const keyNames = quoteLiteral(primaryKey.join(', '));
  return `  DECLARE rowtrail_marked bigint; BEGIN
${mark}
  GET DIAGNOSTICS rowtrail_marked = ROW_COUNT;
  IF rowtrail_marked <> 1 THEN
    RAISE EXCEPTION 'Rowtrail: soft delete % of table %.% marked % rows for one deleted row; nothing was deleted', ${quoteLiteral(protection)}, TG_TABLE_SCHEMA, TG_TABLE_NAME, rowtrail_marked
      USING ERRCODE = 'object_not_in_prerequisite_state',
        HINT = CASE WHEN rowtrail_marked = 0
          THEN pg_catalog.format('Row-level security lets this role delete the row but not update it (give it an UPDATE policy for the rows it may delete), or its key (%s) is NULL.', ${keyNames})
          ELSE pg_catalog.format('The key the soft delete marks rows by (%s) is not unique: declare the table''s primary key.', ${keyNames}) END;
  END IF;
  END;`;
}

/**
 * A statement that fails when the soft delete's value cannot be stored in its field, since every DELETE would then
 * fail with PostgreSQL's error, which names neither the table nor the protection: a value of another type (true for a
 * timestamptz), a string the field's type cannot read ('abc' for a timestamptz), NULL for a NOT NULL column, a value
 * its domain refuses, a generated column. The value is typed by EXPLAIN of the function's UPDATE (parse analysis reads
 * the literal and planning folds its casts; nothing runs); the error names the protection, the table, the field and
 * the value, and gives PostgreSQL's reason and SQLSTATE.
 *
 * It also fails when the soft delete's field or a primary-key column is not a column of the table (its
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
export function softDeleteInstallCheck(
  schema: string, table: string, protection: string, field: string, primaryKey: string[], value: SoftDeleteValue,
): string {
  const name = qualified(schema, table);
  const columns = [field, ...primaryKey];
  const valueSql = softDeleteValueSql(value);
  const refused = `format('Rowtrail: soft delete %s cannot be installed on table %s: its field %I (%s) cannot be set to %s',
      ${quoteLiteral(JSON.stringify(protection))}, ${quoteLiteral(`${schema}.${table}`)}, ${quoteLiteral(field)}, field_type, ${quoteLiteral(valueSql)})`;
  const typed = `EXECUTE ${quoteLiteral(`EXPLAIN (COSTS OFF) UPDATE ONLY ${name} SET ${quoteIdent(field)} = ${valueSql} WHERE false`)};`;
  // a domain's constraints are checked when the value is stored, not when it is typed
  const domainChecked = `IF field_domain THEN
      EXECUTE 'SELECT CAST(' || ${quoteLiteral(valueSql)} || ' AS ' || field_type || ')';
    END IF;`;
  const hint = "Give a value of the field's type (a string is read by the type's input function, e.g. 'now' for a timestamp).";
  const body = `
DECLARE
  cascade_fk text;
  partitioned boolean;
  partition_of text;
  missing text;
  field_type text;
  field_not_null boolean;
  field_domain boolean;
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
  -- the function's UPDATE would fail on every DELETE, naming neither the table nor the soft delete
  SELECT format_type(a.atttypid, a.atttypmod), a.attnotnull, t.typtype = 'd' INTO field_type, field_not_null, field_domain
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  WHERE a.attrelid = ${quoteLiteral(name)}::regclass AND a.attname = ${quoteLiteral(field)} AND a.attnum > 0 AND NOT a.attisdropped;${value === null ? `
  IF field_not_null THEN
    RAISE EXCEPTION USING
      ERRCODE = 'not_null_violation',
      MESSAGE = format('Rowtrail: soft delete %s cannot be installed on table %s: its field %I is NOT NULL and the value is NULL',
        ${quoteLiteral(JSON.stringify(protection))}, ${quoteLiteral(`${schema}.${table}`)}, ${quoteLiteral(field)}),
      HINT = 'Give a value that is not null, or let the column hold NULL.';
  END IF;` : ''}
${refuseWhenPostgresRefuses(typed, refused, hint)}
${refuseWhenPostgresRefuses(domainChecked, refused, hint)}
END
`;
  return `DO ${dollarQuote(body)}`;
}
