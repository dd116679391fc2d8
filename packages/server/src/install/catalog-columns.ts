import type pg from 'pg';
import type { TrackedColumn } from '../ddl/tracked-table-spec.js';

/**
 * Types history records as text, for a pg_type row aliased `t`: enums, composites (a table's row type included), and
 * string types outside pg_catalog (citext: its values are text, compared and diffed as text already).
 */
export const TEXT_FORM = (t: string) => `(${t}.typtype IN ('e', 'c') OR (${t}.typtype = 'b' AND ${t}.typcategory = 'S' AND ${t}.typnamespace <> 'pg_catalog'::regnamespace))`;

/**
 * A table's columns as the catalog has them, typed as history records them: a domain (or an array of one) as its
 * base type, through domains of domains, with the domain's size limit (a history column of the domain's type would
 * carry its NOT NULL and CHECK constraints into history, where a dropped column's later rows are NULL, and would
 * keep the domain from being dropped); an enum column (or an array of one, or a domain over one) as text, as the
 * TypeORM adapter's snapshotColumnType() does (a history column of the enum's type would keep the type alive, and
 * the usual enum change, DROP TYPE …_old, would fail); a composite column (or an array of one, or a domain over one)
 * and a column of an extension's string type (citext) as text too: a history column of the composite's type would
 * change with it (ALTER TYPE … DROP ATTRIBUTE rewrites every past snapshot) and keep it, or the extension, from being
 * dropped (DROP … CASCADE would drop the history column); anything else as format_type() writes it (snapshotColumns()
 * then drops size limits). `table` is a qualified, quoted name.
 */
export async function catalogColumns(db: pg.ClientBase | pg.Pool, table: string): Promise<TrackedColumn[]> {
  const { rows } = await db.query<TrackedColumn>(
    `WITH RECURSIVE resolved (attnum, name, type, typmod, in_array, depth) AS (
       SELECT a.attnum, a.attname, a.atttypid, a.atttypmod, false, 0
       FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
       UNION ALL
       -- a domain is replaced by its base type (and modifier); an array of a domain by that domain, remembered as an array
       SELECT r.attnum, r.name, CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END,
         CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE r.typmod END, r.in_array OR t.typtype <> 'd', r.depth + 1
       FROM resolved r JOIN pg_type t ON t.oid = r.type
       WHERE t.typtype = 'd' OR (t.typcategory = 'A' AND EXISTS (SELECT FROM pg_type e WHERE e.oid = t.typelem AND e.typtype = 'd'))
     )
     SELECT name, type FROM (
       SELECT DISTINCT ON (r.attnum) r.attnum, r.name,
         CASE WHEN ${TEXT_FORM('t')} THEN CASE WHEN r.in_array THEN 'text[]' ELSE 'text' END
           WHEN ${TEXT_FORM('e')} THEN 'text[]'
           WHEN r.in_array THEN format_type(t.typarray, r.typmod)
           ELSE format_type(r.type, r.typmod) END AS type
       FROM resolved r JOIN pg_type t ON t.oid = r.type LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
       ORDER BY r.attnum, r.depth DESC
     ) c ORDER BY attnum`,
    [table],
  );
  return rows;
}
