import type pg from 'pg';
import { quoteIdent } from '../ddl/quote.js';
import { RowtrailNotInstalledError, unknownTable } from './query-errors.js';

export interface QueryOptions {
  /** Schema holding Rowtrail's tables. Default "rowtrail". */
  schema?: string;
}

export interface RegisteredTable {
  /** "schema.table" of the source table. */
  table: string;
  /** Snapshot table name inside the Rowtrail schema. */
  snapshotTable: string;
  primaryKey: string[];
  columns: { name: string; type: string }[];
}

export const schemaOf = (options: QueryOptions = {}): string => options.schema ?? 'rowtrail';

/**
 * Reads the registry of tracked tables: the only source of identifiers the
 * query API ever puts into SQL. Read on each call, so tables installed while a
 * server runs are seen at once (the registry is small).
 */
export async function loadRegistry(pool: pg.Pool, options: QueryOptions = {}): Promise<Map<string, RegisteredTable>> {
  const schema = schemaOf(options);
  let rows: { table_name: string; snapshot_table: string; primary_key: string[]; columns: { name: string; type: string }[] }[];
  try {
    ({ rows } = await pool.query(`SELECT table_name, snapshot_table, primary_key, columns FROM ${quoteIdent(schema)}.tracked_table ORDER BY table_name`));
  } catch (error) {
    if ((error as { code?: string }).code === '42P01' || (error as { code?: string }).code === '3F000') throw new RowtrailNotInstalledError(schema);
    throw error;
  }
  return new Map(rows.map((r) => [r.table_name, { table: r.table_name, snapshotTable: r.snapshot_table, primaryKey: r.primary_key, columns: r.columns }]));
}

/** The registered table named by a parameter, or a 404 naming that parameter. */
export function requireTable(registry: Map<string, RegisteredTable>, table: string, parameter = 'table'): RegisteredTable {
  const found = registry.get(table) ?? (table.includes('.') ? undefined : registry.get(`public.${table}`));
  if (!found) throw unknownTable(parameter, table);
  return found;
}
