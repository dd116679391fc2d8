import { dollarQuote } from '../ddl/dollar-quote.js';
import { qualified, quoteIdent, quoteLiteral } from '../ddl/quote.js';
import { refuseWhenPostgresRefuses } from './install-check.js';
import { versionedIncrement } from './versioned-bump.js';

/**
 * A statement that fails when a versioned field cannot be incremented (a text or timestamp field, say): the increment
 * (versionedBumpBlock) would then fail on every real UPDATE with PostgreSQL's error, which names neither the table nor
 * the protection. It types the increment by EXPLAIN of an UPDATE setting the field to it (nothing runs) and names the
 * protection, the table, the field and its type, with PostgreSQL's reason and SQLSTATE. Runs before the protection's
 * triggers and function are created, inside the install's transaction (or the generated migration's).
 *
 * A table or field that does not exist passes: the statements that follow report it as they always have (the guard's
 * trigger, whose WHEN names the field). So does a GENERATED ALWAYS column, which an UPDATE may not set but a BEFORE
 * trigger may (an identity column is an integer; a generated column is refused before, by refuseGeneratedFields()).
 */
export function versionedFieldCheck(schema: string, table: string, protection: string, field: string): string {
  const name = qualified(schema, table);
  const f = quoteIdent(field);
  const refused = `format('Rowtrail: versioned %s cannot be installed on table %s: its field %I is of type %s, which cannot be incremented',
      ${quoteLiteral(JSON.stringify(protection))}, ${quoteLiteral(`${schema}.${table}`)}, ${quoteLiteral(field)}, field_type)`;
  const typed = `EXECUTE ${quoteLiteral(`EXPLAIN (COSTS OFF) UPDATE ONLY ${name} SET ${f} = ${versionedIncrement(f)} WHERE false`)};`;
  const body = `
DECLARE
  field_type text;
BEGIN
  -- the increment would fail on every real UPDATE, naming neither the table nor the protection
  SELECT format_type(a.atttypid, a.atttypmod) INTO field_type FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = to_regclass(${quoteLiteral(name)}) AND a.attname = ${quoteLiteral(field)} AND a.attnum > 0 AND NOT a.attisdropped;
  IF NOT FOUND THEN
    RETURN; -- reported by the guard's trigger, which names the field
  END IF;
${refuseWhenPostgresRefuses(typed, refused, 'Declare the field as an integer type (integer, bigint, smallint or numeric).', ['generated_always'])}
END
`;
  return `DO ${dollarQuote(body)}`;
}
