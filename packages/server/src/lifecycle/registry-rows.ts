import type pg from 'pg';
import { quoteIdent } from '../ddl/quote.js';
import type { TableDeclaration, TrackedColumn } from '../ddl/tracked-table-spec.js';

/** A row of the tracked_table registry, as status, prune, migrations and the CLI read it. */
export interface RegistryRow {
  table_name: string; ddl_hash: string; snapshot_table: string; primary_key: string[]; columns: TrackedColumn[];
  excluded: string[]; ignored: string[];
  /** Who declares the table; null once untrack removed its capture and kept its history. */
  declared_by: TableDeclaration | null;
  /** Columns the table had at its last install that history neither records nor excludes; null when not known (before core version 13). */
  unrecorded: string[] | null;
}

/**
 * The registry of a Rowtrail schema by table name, in table order; empty when the schema has none (not installed).
 * declared_by exists from core version 9 on: every row written before it is an application's; unrecorded from version 13 on.
 */
export async function registryRows(db: pg.ClientBase | pg.Pool, schema: string): Promise<Map<string, RegistryRow>> {
  const registry = `${quoteIdent(schema)}.tracked_table`;
  if ((await db.query(`SELECT to_regclass($1) AS r`, [registry])).rows[0].r === null) return new Map();
  const { rows } = await db.query<RegistryRow>(
    `SELECT table_name, ddl_hash, snapshot_table, primary_key, columns, excluded, ignored,
       CASE WHEN to_jsonb(r) ? 'declared_by' THEN to_jsonb(r) ->> 'declared_by' ELSE 'application' END AS declared_by,
       CASE WHEN jsonb_typeof(to_jsonb(r) -> 'unrecorded') = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(to_jsonb(r) -> 'unrecorded')) END AS unrecorded
     FROM ${registry} r ORDER BY table_name`,
  );
  return new Map(rows.map((r) => [r.table_name, r]));
}

/**
 * Tables whose registry row predates core version 9, which began recording who declares a table: their declared_by
 * ('application', the column's default) was never written by an install, so a table tracked with `rowtrail install --table`
 * before then counts as an application's until that command runs again. All rows when the schema is not at version 9 yet;
 * otherwise those last written (installed_at) before version 9 was applied.
 */
export async function declarationsUnrecorded(db: pg.ClientBase | pg.Pool, schema: string): Promise<Set<string>> {
  const s = quoteIdent(schema);
  if ((await db.query(`SELECT to_regclass($1) AS r`, [`${s}.tracked_table`])).rows[0].r === null) return new Set();
  const { rows } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM ${s}.tracked_table r
     WHERE NOT to_jsonb(r) ? 'declared_by'
        OR (to_jsonb(r) ->> 'declared_by' = 'application' AND r.installed_at < (SELECT m.installed_at FROM ${s}.migrations m WHERE m.id = 9))`,
  );
  return new Set(rows.map((r) => r.table_name));
}
