import type pg from 'pg';
import { CAPTURE_TRIGGER_NAMES } from '../ddl/capture-ddl.js';
import { qualified } from '../ddl/quote.js';
import { resolveSchemaOptions, type TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { catalogColumns } from '../install/catalog-columns.js';
import type { Queryable } from '../install/database-client.js';
import { PROTECTION_TRIGGER_PREFIX } from '../protections/protection-names.js';
import { disabledDetail, disabledTriggers, missingDetail } from './disabled-triggers.js';
import { declarationsUnrecorded, registryRows } from './registry-rows.js';
import { collectStatus, type RowtrailStatus, type StatusEntry } from './status.js';
import { withClient } from './with-client.js';
import { requireOptions, SCHEMA_OPTION_KINDS } from '../option-kinds.js';

const UNCHECKED = 'found in the database; its definition is not compared without the application\'s entities (--data-source)';

/**
 * status() from the database alone, for when the application's entities are not at hand: core
 * migrations; for every table in the tracked_table registry its history table (with the drift of the
 * source table's columns since the install), capture triggers and append-only guard; and the protection
 * triggers found in the catalog. Without the entities, the capture of an application's tables and protections are
 * checked for presence only (not for an outdated definition), and nothing can be reported as no longer declared;
 * the tables of `rowtrail install --table` are compared in full (collectStatus rebuilds them from the catalog).
 */
export async function databaseStatus(db: Queryable, options: { schema?: string } = {}): Promise<RowtrailStatus> {
  requireOptions(options, 'databaseStatus', { schema: SCHEMA_OPTION_KINDS.schema });
  const schema = resolveSchemaOptions(options).schema;
  return withClient(db, async (client) => {
    // An application's tables. collectStatus checks the tables of rowtrail install --table in full, rebuilt as that
    // command builds them; a row declared by nobody (rowtrail untrack kept its history) is not tracked.
    const registry = [...(await registryRows(client, schema)).values()].filter((r) => r.declared_by === 'application');
    const snapshotTables = new Map(registry.map((r) => [r.table_name, r.snapshot_table]));
    const specs: TrackedTableSpec[] = [];
    for (const r of registry) {
      const dot = r.table_name.indexOf('.');
      const source = { schema: r.table_name.slice(0, dot), table: r.table_name.slice(dot + 1) };
      // The source table as it is now (so drift shows columns added, dropped or retyped since the install), less the
      // columns it had then that history leaves out (no entity maps them; not known before core version 13);
      // the registered columns when it is gone or lost a key column.
      const unrecorded = new Set(r.unrecorded ?? []);
      const current = (await catalogColumns(client, qualified(source.schema, source.table))).filter((c) => !unrecorded.has(c.name));
      const usable = r.primary_key.every((k) => current.some((c) => c.name === k));
      specs.push({
        ...source, primaryKey: r.primary_key, ignoreChanges: r.ignored, label: r.table_name,
        ...(usable ? { columns: current, exclude: r.excluded.filter((x) => current.some((c) => c.name === x)) } : { columns: r.columns, exclude: [] }),
      });
    }
    const status = await collectStatus(client, specs, [], {
      schema, snapshotTableName: (source) => snapshotTables.get(`${source.schema}.${source.table}`) ?? `${source.table}_history`,
    });
    const entries: StatusEntry[] = [];
    const protections = new Map<string, { entry: StatusEntry; triggers: string[] }>();
    for (const entry of status.entries) {
      if (entry.kind === 'capture' && !entry.declaredBy) {
        entries.push({ ...entry, ...await presenceState(client, entry.table, Object.values(CAPTURE_TRIGGER_NAMES)) });
      } else if (entry.kind === 'trigger' && entry.name.startsWith(PROTECTION_TRIGGER_PREFIX)) {
        const name = entry.name.slice(PROTECTION_TRIGGER_PREFIX.length).replace(/_(bump|truncate)$/, '');
        const known = protections.get(`${entry.table}/${name}`);
        if (known) {
          known.triggers.push(entry.name);
          continue;
        }
        const protection: StatusEntry = { kind: 'protection', table: entry.table, name, state: 'installed' };
        protections.set(`${entry.table}/${name}`, { entry: protection, triggers: [entry.name] });
        entries.push(protection);
      } else if (entry.kind === 'function' && entry.state === 'orphaned') {
        continue; // a protection's generated function: whether it is still declared needs the entities
      } else {
        entries.push(entry);
      }
    }
    for (const { entry, triggers } of protections.values()) Object.assign(entry, await presenceState(client, entry.table, triggers));
    // a table registered before core version 9 counts as an application's, though install --table may have tracked it
    const unrecorded = await declarationsUnrecorded(client, schema);
    const historyTables = new Set(registry.filter((r) => unrecorded.has(r.table_name)).map((r) => `${schema}.${r.snapshot_table}`));
    for (const entry of entries) {
      const ofTable = entry.kind === 'append-only' ? historyTables.has(entry.table) : (entry.kind === 'history-table' || entry.kind === 'capture') && unrecorded.has(entry.table);
      if (ofTable && !entry.declaredBy && entry.state !== 'orphaned') entry.declarationUnrecorded = true;
    }
    return { entries, upToDate: entries.every((e) => e.state === 'installed') };
  });
}

const qualifiedName = (table: string) => qualified(table.slice(0, table.indexOf('.')), table.slice(table.indexOf('.') + 1));

/**
 * State of triggers checked by presence (their definition is not compared without the entities): all
 * expected present and firing: installed; none: missing; some, or one disabled by hand: outdated.
 */
async function presenceState(client: pg.ClientBase, table: string, triggers: string[]): Promise<Pick<StatusEntry, 'state' | 'detail'>> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT tgname AS name FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = ANY($2::text[])`, [qualifiedName(table), triggers],
  );
  if (rows.length === 0) return { state: 'missing' };
  // some dropped by hand: those are named (the others being there says nothing of them)
  const missing = missingDetail(table, triggers.filter((t) => !rows.some((r) => r.name === t)));
  const disabled = disabledDetail(table, await disabledTriggers(client, qualifiedName(table), triggers));
  if (missing || disabled) return { state: 'outdated', detail: [missing, disabled].filter(Boolean).join('; ') };
  return { state: 'installed', detail: UNCHECKED };
}
