import type pg from 'pg';
import { CAPTURE_TRIGGER_NAMES } from '../ddl/capture-ddl.js';
import { qualified, quoteIdent } from '../ddl/quote.js';
import { resolveSchemaOptions, type RowtrailSchemaOptions, type TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import type { Queryable } from '../install/database-client.js';
import { loadSqlMigrations } from '../install/sql-files.js';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';
import { HASH_COMMENT_PREFIX } from '../protections/trigger-group.js';
import { HISTORY_APPEND_ONLY_TRIGGER } from '../protections/history-append-only-ddl.js';
import { triggerGroupState } from '../protections/trigger-group-state.js';
import { coreMigrationState } from './core-migrations.js';
import { expectedObjects, expectedTriggerKeys } from './expected-objects.js';
import { hasDrift, historyDrift, type HistoryDrift } from './history-drift.js';
import { withClient } from './with-client.js';

export type ObjectState = 'installed' | 'outdated' | 'missing' | 'orphaned';

export interface StatusEntry {
  kind: 'core-migration' | 'history-table' | 'capture' | 'append-only' | 'protection' | 'trigger' | 'function';
  /** "schema.table" the object belongs to ("" for core migrations). */
  table: string;
  name: string;
  state: ObjectState;
  /** For history tables: columns added, dropped or retyped since the install. */
  drift?: HistoryDrift;
  /** Why an entry is in its state, when the state alone does not say (a core SQL file modified since install). */
  detail?: string;
}

export interface RowtrailStatus {
  entries: StatusEntry[];
  /** True when every entry is installed (nothing missing, outdated or orphaned). */
  upToDate: boolean;
}

export interface StatusOptions extends Partial<RowtrailSchemaOptions> {
  protections?: ProtectedTableSpec[];
}

/** Lists every Rowtrail object the specs expect, and every one the database has that they do not, with its state. */
export async function status(db: Queryable, tracked: TrackedTableSpec[], options: StatusOptions = {}): Promise<RowtrailStatus> {
  const resolved = resolveSchemaOptions(options);
  return withClient(db, (client) => collectStatus(client, tracked, options.protections ?? [], resolved));
}

/** status() on a given connection (e.g. inside a transaction). */
export async function collectStatus(client: pg.ClientBase, tracked: TrackedTableSpec[], protections: ProtectedTableSpec[], options: RowtrailSchemaOptions): Promise<RowtrailStatus> {
  const s = quoteIdent(options.schema);
  const expected = expectedObjects(tracked, protections, options);
  const installed = (await client.query(`SELECT to_regclass($1) AS r`, [`${s}.tracked_table`])).rows[0].r !== null;
  const entries: StatusEntry[] = [];

  const applied = installed
    ? new Map((await client.query<{ id: number; hash: string }>(`SELECT id, hash FROM ${s}.migrations`)).rows.map((r) => [r.id, r.hash]))
    : new Map<number, string>();
  for (const m of loadSqlMigrations()) {
    const { state, detail } = coreMigrationState(m, applied.get(m.id));
    entries.push({ kind: 'core-migration', table: '', name: m.name, state, ...(detail ? { detail } : {}) });
  }

  const registry = installed
    ? new Map((await client.query<{ table_name: string; ddl_hash: string; snapshot_table: string }>(`SELECT table_name, ddl_hash, snapshot_table FROM ${s}.tracked_table`)).rows.map((r) => [r.table_name, r]))
    : new Map<string, { ddl_hash: string; snapshot_table: string }>();
  for (const t of expected.tracked) {
    const table = `${t.spec.schema}.${t.spec.table}`;
    const snapshotExists = (await client.query(`SELECT to_regclass($1) AS r`, [qualified(options.schema, t.snapshotTable)])).rows[0].r !== null;
    const drift = installed && snapshotExists ? await historyDrift(client, t.spec, options) : null;
    entries.push({
      kind: 'history-table', table, name: `${options.schema}.${t.snapshotTable}`,
      state: !snapshotExists ? 'missing' : hasDrift(drift) ? 'outdated' : 'installed', ...(drift ? { drift } : {}),
    });
    const { rows } = await client.query(`SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = ANY($2::text[])`,
      [qualified(t.spec.schema, t.spec.table), Object.values(CAPTURE_TRIGGER_NAMES)]);
    const captureState = rows.length === 0 ? 'missing'
      : rows.length === Object.keys(CAPTURE_TRIGGER_NAMES).length && registry.get(table)?.ddl_hash === t.captureHash ? 'installed' : 'outdated';
    entries.push({ kind: 'capture', table, name: 'capture', state: captureState });
    entries.push({ kind: 'append-only', table: `${options.schema}.${t.snapshotTable}`, name: 'append_only', state: snapshotExists ? await triggerGroupState(client, t.appendOnly) : 'missing' });
  }
  for (const g of expected.protections) {
    entries.push({ kind: 'protection', table: `${g.schema}.${g.table}`, name: g.name, state: await triggerGroupState(client, g) });
  }

  entries.push(...await orphans(client, expected, options, registry));
  return { entries, upToDate: entries.every((e) => e.state === 'installed') };
}

/** Rowtrail triggers, generated functions and history tables that no spec expects. */
async function orphans(
  client: pg.ClientBase, expected: ReturnType<typeof expectedObjects>, options: RowtrailSchemaOptions,
  registry: Map<string, { snapshot_table: string }>,
): Promise<StatusEntry[]> {
  const entries: StatusEntry[] = [];
  const keys = expectedTriggerKeys(expected, options);
  const { rows: triggers } = await client.query<{ schema: string; table: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, t.tgname AS name
     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE NOT t.tgisinternal AND t.tgname LIKE 'rowtrail\\_%' AND t.tgname NOT LIKE 'rowtrail\\_core\\_%'
     ORDER BY 1, 2, 3`,
  );
  for (const t of triggers) {
    // a history table stays append-only as long as it exists, tracked or not
    if (t.schema === options.schema && t.name === HISTORY_APPEND_ONLY_TRIGGER) continue;
    if (!keys.has(`${t.schema}.${t.table}/${t.name}`)) entries.push({ kind: 'trigger', table: `${t.schema}.${t.table}`, name: t.name, state: 'orphaned' });
  }
  const expectedFunctions = new Set(expected.protections.flatMap((g) => g.functions));
  const { rows: functions } = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = $1 AND starts_with(coalesce(obj_description(p.oid, 'pg_proc'), ''), $2) ORDER BY 1`,
    [options.schema, HASH_COMMENT_PREFIX],
  );
  for (const f of functions) {
    const signature = `${qualified(f.schema, f.name)}()`;
    if (!expectedFunctions.has(signature)) entries.push({ kind: 'function', table: options.schema, name: signature, state: 'orphaned' });
  }
  const trackedNames = new Set(expected.tracked.map((t) => `${t.spec.schema}.${t.spec.table}`));
  for (const [table, row] of registry) {
    if (!trackedNames.has(table)) entries.push({ kind: 'history-table', table, name: `${options.schema}.${row.snapshot_table}`, state: 'orphaned' });
  }
  return entries;
}
