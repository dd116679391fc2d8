import { quoteIdent, quoteLiteral } from './quote.js';

/**
 * PL/pgSQL for the multi-row update capture, run before it pairs old and new rows. Pairing by key needs
 * the key to be unique within each transition table. Two things break that: two rows sharing a key inside
 * a transaction (a primary key declared DEFERRABLE INITIALLY DEFERRED, or one the database does not
 * enforce), and a row updated twice in one statement, which happens when a referential action of a
 * foreign key of the table (say ON UPDATE CASCADE on a self-reference, while the statement also changes
 * the row) updates it again: PostgreSQL adds the cascaded update's rows to the same transition tables.
 * In those cases (and only when such a key actually repeats) this sets `rowtrail_by_position`, and the
 * capture pairs the n-th old row with the n-th new row instead: PostgreSQL stores a row's old and new
 * version together, at the same position of the two tables. A NULL in the key breaks pairing by key
 * too (NULL = NULL is not true, so the row would be left out): where a key column may hold NULL, a
 * row with one is paired by position as well. Tables with a unique index checked at once on NOT NULL
 * key columns and no foreign key with a referential action that updates (nearly all) pay one catalog
 * lookup per multi-row statement.
 */
export function duplicateKeyCheck(keyColumns: readonly string[]): string {
  const keyNames = `ARRAY[${keyColumns.map(quoteLiteral).join(', ')}]::name[]`;
  const repeated = (transition: string) =>
    `SELECT FROM ${transition} r GROUP BY ${keyColumns.map((c) => `r.${quoteIdent(c)}`).join(', ')} HAVING count(*) > 1`;
  return `IF NOT EXISTS (
        SELECT FROM pg_index i
        WHERE i.indrelid = TG_RELID AND i.indisunique AND i.indimmediate AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
          AND i.indkey::int2[] OPERATOR(pg_catalog.<@) ARRAY(SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = TG_RELID AND a.attname = ANY (${keyNames}) AND a.attnotnull))
      OR EXISTS (
        SELECT FROM pg_constraint c
        WHERE c.conrelid = TG_RELID AND c.contype = 'f' AND (c.confupdtype IN ('c', 'n', 'd') OR c.confdeltype IN ('n', 'd'))) THEN
      rowtrail_by_position := EXISTS (${repeated('rowtrail_new')}) OR EXISTS (${repeated('rowtrail_old')})
        OR EXISTS (SELECT FROM rowtrail_new r WHERE ${keyColumns.map((c) => `r.${quoteIdent(c)} IS NULL`).join(' OR ')});
    END IF;`;
}
