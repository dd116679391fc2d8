import type pg from 'pg';
import { qualified } from '../ddl/quote.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';

/**
 * The specs without the tables' virtual generated columns (PostgreSQL 18 on, where a generated column is virtual
 * unless declared STORED). Such a column is computed when read and stored nowhere: a trigger reads it as NULL, and
 * an expression over it in a transition table fails ("unexpected virtual generated column reference"), as the
 * capture's diff did, failing every write to the table. Its value follows from the columns history records, so history leaves
 * it out, as if the table did not have it. A TypeORM entity maps such a column as an ordinary or a STORED one, so
 * the catalog decides; a name in `exclude` or `ignoreChanges` that is such a column is dropped with it. Install,
 * status and generated migrations all build from these specs.
 */
export async function withoutVirtualColumns(client: pg.ClientBase, specs: TrackedTableSpec[]): Promise<TrackedTableSpec[]> {
  if (specs.length === 0) return specs;
  const { rows } = await client.query<{ table_index: number; name: string }>(
    `SELECT t.table_index, a.attname AS name
     FROM unnest($1::text[]) WITH ORDINALITY AS t(table_name, table_index)
     JOIN pg_catalog.pg_attribute a ON a.attrelid = to_regclass(t.table_name)
     WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = 'v'`,
    [specs.map((spec) => qualified(spec.schema, spec.table))],
  );
  if (rows.length === 0) return specs;
  return specs.map((spec, i) => {
    const virtual = new Set(rows.filter((r) => Number(r.table_index) === i + 1).map((r) => r.name));
    if (virtual.size === 0) return spec;
    // named in exclude or ignoreChanges (a derived column is a natural one to ignore): nothing left to exclude or ignore
    const kept = (names: string[]) => names.filter((name) => !virtual.has(name));
    return { ...spec, columns: spec.columns.filter((c) => !virtual.has(c.name)), exclude: kept(spec.exclude), ignoreChanges: kept(spec.ignoreChanges) };
  });
}
