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
  /** A primary-key column's type changed since the table was first tracked (its old values live in a renamed column). */
  retypedKey: boolean;
  /** The history table has a json or json[] column (the table's, or one kept after a column was dropped or retyped). */
  historyHasJson: boolean;
  /** Columns retyped since first tracked: name → the history columns their older values were renamed to, newest first. */
  retypedColumns: Record<string, string[]>;
  /** Every column of the history table but its meta columns: the recorded ones and those recorded before (dropped since). */
  historyColumns: string[];
}

export const schemaOf = (options: QueryOptions = {}): string => options.schema ?? 'rowtrail';

type Registry = Map<string, RegisteredTable>;

/**
 * How long a pool's registry is reused. Reading it costs a round trip on every
 * query (the history of a record took three instead of two), while it changes
 * only when tables are installed or migrated; a table it does not know yet is
 * read again at once (see `needed`), so only a migration that changes an
 * installed table's key columns takes up to this long to be seen.
 */
export const REGISTRY_MAX_AGE_MS = 1000;

const registries = new WeakMap<pg.Pool, Map<string, { loadedAt: number; registry: Promise<Registry> }>>();

/**
 * Reads the registry of tracked tables: the only source of identifiers the
 * query API ever puts into SQL. Cached per pool and schema for
 * REGISTRY_MAX_AGE_MS; read again at once when it lacks one of the `needed`
 * tables (named as callers pass them to requireTable), or when a caller lists
 * every table (`fresh`), which a cached registry could not do.
 */
export async function loadRegistry(pool: pg.Pool, options: QueryOptions = {}, needed: readonly string[] = [], { fresh = false } = {}): Promise<Registry> {
  const schema = schemaOf(options);
  let bySchema = registries.get(pool);
  if (!bySchema) registries.set(pool, (bySchema = new Map()));
  const cached = bySchema.get(schema);
  if (!fresh && cached && Date.now() - cached.loadedAt < REGISTRY_MAX_AGE_MS) {
    const registry = await cached.registry.catch(() => undefined);
    if (registry && needed.every((table) => findTable(registry, table))) return registry;
  }
  const entry = { loadedAt: Date.now(), registry: readRegistry(pool, schema) };
  bySchema.set(schema, entry);
  entry.registry.catch(() => {
    if (bySchema.get(schema) === entry) bySchema.delete(schema); // never cache a failure
  });
  return entry.registry;
}

async function readRegistry(pool: pg.Pool, schema: string): Promise<Registry> {
  let rows: { table_name: string; snapshot_table: string; primary_key: string[]; columns: { name: string; type: string }[]; retyped_key: boolean; history_has_json: boolean; retyped_columns: Record<string, string[]>; history_columns: string[] | null }[];
  try {
    ({ rows } = await pool.query(
      `SELECT t.table_name, t.snapshot_table, t.primary_key, t.columns,
         EXISTS (SELECT 1 FROM pg_attribute a
                 WHERE a.attrelid = to_regclass(format('%I.%I', $1::text, t.snapshot_table)) AND a.attnum > 0 AND NOT a.attisdropped
                   AND EXISTS (SELECT 1 FROM unnest(t.primary_key) k WHERE starts_with(a.attname, k || '__'))) AS retyped_key,
         EXISTS (SELECT 1 FROM pg_attribute a
                 WHERE a.attrelid = to_regclass(format('%I.%I', $1::text, t.snapshot_table)) AND a.attnum > 0 AND NOT a.attisdropped
                   AND a.atttypid IN ('json'::regtype, 'json[]'::regtype)) AS history_has_json,
         -- "<column>__<old type>": where a retype (lifecycle.md) renamed a recorded column's older values; not a column of its own
         (SELECT coalesce(jsonb_object_agg(r.name, r.archives), '{}') FROM (
            SELECT c.name, jsonb_agg(a.attname ORDER BY a.attnum DESC) AS archives
            FROM jsonb_to_recordset(t.columns) AS c(name text)
            JOIN pg_attribute a ON a.attrelid = to_regclass(format('%I.%I', $1::text, t.snapshot_table)) AND a.attnum > 0 AND NOT a.attisdropped
            -- named as plannedRetypes() names it: "<column>__<its type, as a slug>", "_2" on when taken
            CROSS JOIN LATERAL (SELECT c.name || '__' || lower(btrim(regexp_replace(format_type(a.atttypid, a.atttypmod), '[^a-zA-Z0-9]+', '_', 'g'), '_')) AS stem) n
            WHERE starts_with(a.attname, n.stem) AND substr(a.attname, length(n.stem) + 1) ~ '^(_[0-9]+)?$'
              AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(t.columns) AS o(name text) WHERE o.name = a.attname)
            GROUP BY c.name) r) AS retyped_columns,
         (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
          WHERE a.attrelid = to_regclass(format('%I.%I', $1::text, t.snapshot_table)) AND a.attnum > 0 AND NOT a.attisdropped
            AND NOT starts_with(a.attname, 'rowtrail_')) AS history_columns
       FROM ${quoteIdent(schema)}.tracked_table t ORDER BY t.table_name`, [schema]));
  } catch (error) {
    if ((error as { code?: string }).code === '42P01' || (error as { code?: string }).code === '3F000') throw new RowtrailNotInstalledError(schema);
    throw error;
  }
  return new Map(rows.map((r) => [r.table_name, { table: r.table_name, snapshotTable: r.snapshot_table, primaryKey: r.primary_key, columns: r.columns, retypedKey: r.retyped_key, historyHasJson: r.history_has_json, retypedColumns: r.retyped_columns, historyColumns: r.history_columns ?? [] }]));
}

const findTable = (registry: Registry, table: string): RegisteredTable | undefined =>
  registry.get(table) ?? (table.includes('.') ? undefined : registry.get(`public.${table}`));

/** The registered table named by a parameter, or a 404 naming that parameter. */
export function requireTable(registry: Map<string, RegisteredTable>, table: string, parameter = 'table'): RegisteredTable {
  const found = findTable(registry, table);
  if (!found) throw unknownTable(parameter, table);
  return found;
}
