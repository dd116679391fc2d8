import { jsonbObject } from './json-expressions.js';
import { quoteIdent, quoteLiteral } from './quote.js';

/**
 * PL/pgSQL for the multi-row update capture, run before it pairs old and new rows by key. Pairing needs
 * the key to be unique on both sides, which a unique index checked at once guarantees. Without one (a
 * primary key declared DEFERRABLE INITIALLY DEFERRED, or no constraint in the database at all), two rows
 * may share a key inside a transaction, and pairing them would record each with the other's versions:
 * the guard then looks for a shared key and, when it finds one, fails the statement with an error that
 * names the table and the key rather than write wrong history. Tables with such an index (nearly all)
 * pay one catalog lookup per multi-row statement.
 */
export function duplicateKeyGuard(table: string, keyColumns: readonly string[]): string {
  const keyNames = `ARRAY[${keyColumns.map(quoteLiteral).join(', ')}]::name[]`;
  const grouped = (transition: string) =>
    `SELECT ${jsonbObject(keyColumns.map((c) => [c, `r.${quoteIdent(c)}`]))} AS k FROM ${transition} r GROUP BY ${keyColumns.map((c) => `r.${quoteIdent(c)}`).join(', ')} HAVING count(*) > 1`;
  return `IF NOT EXISTS (
      SELECT FROM pg_index i
      WHERE i.indrelid = TG_RELID AND i.indisunique AND i.indimmediate AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
        AND i.indkey::int2[] <@ ARRAY(SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = TG_RELID AND a.attname = ANY (${keyNames}))) THEN
      SELECT d.k INTO rowtrail_duplicate_key FROM (${grouped('rowtrail_new')} UNION ALL ${grouped('rowtrail_old')}) d LIMIT 1;
      IF rowtrail_duplicate_key IS NOT NULL THEN
        RAISE EXCEPTION 'rowtrail: cannot record this UPDATE of %: several of its rows have the primary key % inside this transaction (its unique constraint is deferred, or there is none), so their old and new versions cannot be told apart', ${quoteLiteral(table)}, rowtrail_duplicate_key
          USING HINT = 'Update the rows that share a key one statement per row, or check the constraint at once (SET CONSTRAINTS ... IMMEDIATE) before this statement.';
      END IF;
    END IF;`;
}
