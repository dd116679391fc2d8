import type { TrackedTableSpec } from '../packages/server/src/ddl/tracked-table-spec.js';

/** The ~8-column table every write benchmark uses. */
export const BENCH_COLUMNS = [
  { name: 'id', type: 'bigint' },
  { name: 'account_id', type: 'integer' },
  { name: 'name', type: 'text' },
  { name: 'email', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'amount', type: 'numeric(12,2)' },
  { name: 'quantity', type: 'integer' },
  { name: 'updated_at', type: 'timestamptz' },
] as const;

export const BENCH_COLUMN_LIST = BENCH_COLUMNS.map((c) => c.name).join(', ');

export function createBenchTableSql(table: string): string {
  return `CREATE TABLE ${table} (${BENCH_COLUMNS.map((c) => `${c.name} ${c.type}${c.name === 'id' ? ' PRIMARY KEY' : ' NOT NULL'}`).join(', ')})`;
}

/** SELECT producing rows first..last of the table (same data for every variant). */
export function benchRowsSelect(first: string, last: string): string {
  return `SELECT g, (g % 1000)::int, 'customer ' || g, 'user' || g || '@example.com',
    (ARRAY['new', 'active', 'suspended', 'closed'])[1 + g % 4], ((g % 100000) / 100.0)::numeric(12,2), (g % 50)::int,
    timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'
  FROM generate_series(${first}, ${last}) g`;
}

export function benchTableSpec(table: string): TrackedTableSpec {
  return {
    schema: 'public', table, primaryKey: ['id'], label: 'snapshot',
    columns: BENCH_COLUMNS.map((c) => ({ name: c.name, type: c.type })), exclude: [], ignoreChanges: [],
  };
}
