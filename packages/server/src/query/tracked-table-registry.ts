import type pg from 'pg';
import { postgresIdentifier } from '../ddl/identifier-name.js';
import { mayHoldJson } from '../ddl/json-expressions.js';
import { quoteIdent } from '../ddl/quote.js';
import { isRetypeArchive } from '../ddl/retype-archive-name.js';
import { KEY_CHANGE_STATEMENT_COLUMN } from './key-change-statement.js';
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
  /** The history table names each key change's statement (key-change-statement.ts); one captured before that does not. */
  keyChangeStatements: boolean;
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

interface RegistryRow {
  table_name: string;
  snapshot_table: string;
  primary_key: string[];
  columns: { name: string; type: string }[];
  /** The history table's columns in order, with their types as format_type() writes them; null when it is missing. */
  history: { name: string; type: string }[] | null;
}

async function readRegistry(pool: pg.Pool, schema: string): Promise<Registry> {
  let rows: RegistryRow[];
  try {
    ({ rows } = await pool.query<RegistryRow>(
      `SELECT t.table_name, t.snapshot_table, t.primary_key, t.columns,
         (SELECT jsonb_agg(jsonb_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
          FROM pg_attribute a WHERE a.attrelid = to_regclass(format('%I.%I', $1::text, t.snapshot_table)) AND a.attnum > 0 AND NOT a.attisdropped) AS history
       FROM ${quoteIdent(schema)}.tracked_table t ORDER BY t.table_name`, [schema]));
  } catch (error) {
    if ((error as { code?: string }).code === '42P01' || (error as { code?: string }).code === '3F000') throw new RowtrailNotInstalledError(schema);
    throw error;
  }
  return new Map(rows.map((r) => [r.table_name, registeredTable(r)]));
}

/** A registry row with what its history table says: columns kept from before (retyped, dropped), json, statements. */
function registeredTable(r: RegistryRow): RegisteredTable {
  const history = r.history ?? [];
  const data = history.filter((c) => !c.name.startsWith('rowtrail_'));
  const declared = new Set(r.columns.map((c) => c.name));
  // archives and columns dropped since: usually none, so matching archive names costs nothing on most registry loads
  const undeclared = data.filter((h) => !declared.has(h.name));
  const retypedColumns: Record<string, string[]> = {};
  for (const c of r.columns) {
    // newest first: a later retype's archive is added after the earlier ones
    const archives = undeclared.filter((h) => isRetypeArchive(c.name, h, data.length)).map((h) => h.name).reverse();
    if (archives.length > 0) retypedColumns[c.name] = archives;
  }
  return {
    table: r.table_name, snapshotTable: r.snapshot_table, primaryKey: r.primary_key, columns: r.columns,
    // also a column an older migration's down left under the key column's name (it named it after the declared type)
    retypedKey: r.primary_key.some((k) => retypedColumns[k] !== undefined || undeclared.some((c) => c.name.startsWith(`${k}__`))),
    historyHasJson: data.some((c) => mayHoldJson(c.type)),
    retypedColumns,
    historyColumns: data.map((c) => c.name),
    keyChangeStatements: history.some((c) => c.name === KEY_CHANGE_STATEMENT_COLUMN),
  };
}

const registered = (registry: Registry, table: string): RegisteredTable | undefined =>
  registry.get(table) ?? (table.includes('.') ? undefined : registry.get(`public.${table}`));

/** A name longer than 63 bytes as PostgreSQL keeps it (cut between characters), schema and table each. */
function keptName(table: string): string {
  const dot = table.indexOf('.');
  return dot < 0 ? postgresIdentifier(table) : `${postgresIdentifier(table.slice(0, dot))}.${postgresIdentifier(table.slice(dot + 1))}`;
}

/**
 * The registered table of a name, also as written in the application: an entity's table name longer than 63 bytes is
 * tracked under the name PostgreSQL cut it to, and found by either.
 */
const findTable = (registry: Registry, table: string): RegisteredTable | undefined =>
  registered(registry, table) ?? (keptName(table) === table ? undefined : registered(registry, keptName(table)));

/** The registered table named by a parameter, or a 404 naming that parameter. */
export function requireTable(registry: Map<string, RegisteredTable>, table: string, parameter = 'table'): RegisteredTable {
  const found = findTable(registry, table);
  if (!found) throw unknownTable(parameter, table);
  return found;
}
