import type pg from 'pg';
import { quoteIdent } from '../ddl/quote.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { catalogColumns } from './catalog-columns.js';

/** Splits "schema.table" (or "table", in public) into its parts. */
export function splitTableName(name: string): { schema: string; table: string } {
  const dot = name.indexOf('.');
  return dot > 0 ? { schema: name.slice(0, dot), table: name.slice(dot + 1) } : { schema: 'public', table: name };
}

/**
 * A table's spec as `rowtrail install --table` builds it, from the catalog: its columns with their SQL
 * types, its primary key, its table name as label. Status rebuilds it the same way for a table the
 * registry records as declared by the catalog, so the two hash alike. Null when there is no such table.
 */
export async function catalogTableSpec(
  db: pg.ClientBase | pg.Pool, name: string, settings: { exclude?: string[]; ignoreChanges?: string[] } = {},
): Promise<TrackedTableSpec | null> {
  const { schema, table } = splitTableName(name);
  const regclass = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const columns = await catalogColumns(db, regclass); // enums as text, as @Tracked entities record them
  if (columns.length === 0) return null;
  const key = await db.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
     WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY k.ord`,
    [regclass],
  );
  return {
    schema, table, label: table,
    primaryKey: key.rows.map((r) => r.name),
    columns,
    exclude: settings.exclude ?? [],
    ignoreChanges: settings.ignoreChanges ?? [],
  };
}
