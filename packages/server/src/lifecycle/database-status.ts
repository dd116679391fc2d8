import type pg from 'pg';
import { CAPTURE_TRIGGER_NAMES } from '../ddl/capture-ddl.js';
import { qualified, quoteIdent } from '../ddl/quote.js';
import { resolveSchemaOptions, type TrackedColumn, type TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import type { Queryable } from '../install/database-client.js';
import { PROTECTION_TRIGGER_PREFIX } from '../protections/protection-names.js';
import { collectStatus, type RowtrailStatus, type StatusEntry } from './status.js';
import { withClient } from './with-client.js';

const UNCHECKED = 'found in the database; its definition is not compared without the application\'s entities (--data-source)';

/**
 * status() from the database alone, for when the application's entities are not at hand: core
 * migrations; for every table in the tracked_table registry its history table (with the drift of the
 * source table's columns since the install), capture triggers and append-only guard; and the protection
 * triggers found in the catalog. Without the entities, capture triggers and protections are checked
 * for presence only (not for an outdated definition), and nothing can be reported as no longer declared.
 */
export async function databaseStatus(db: Queryable, options: { schema?: string } = {}): Promise<RowtrailStatus> {
  const schema = resolveSchemaOptions(options).schema;
  return withClient(db, async (client) => {
    const installed = (await client.query(`SELECT to_regclass($1) AS r`, [`${quoteIdent(schema)}.tracked_table`])).rows[0].r !== null;
    const registry = installed
      ? (await client.query<{ table_name: string; snapshot_table: string; primary_key: string[]; columns: TrackedColumn[]; excluded: string[]; ignored: string[] }>(
        `SELECT table_name, snapshot_table, primary_key, columns, excluded, ignored FROM ${quoteIdent(schema)}.tracked_table ORDER BY table_name`)).rows
      : [];
    const snapshotTables = new Map(registry.map((r) => [r.table_name, r.snapshot_table]));
    const specs: TrackedTableSpec[] = [];
    for (const r of registry) {
      const dot = r.table_name.indexOf('.');
      const source = { schema: r.table_name.slice(0, dot), table: r.table_name.slice(dot + 1) };
      // The source table as it is now (so drift shows columns added, dropped or retyped since the install);
      // the registered columns when it is gone or lost a key column.
      const current = await sourceColumns(client, qualified(source.schema, source.table));
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
    const protections = new Set<string>();
    for (const entry of status.entries) {
      if (entry.kind === 'capture') {
        entries.push({ ...entry, state: await captureState(client, entry.table), ...(entry.state !== 'missing' ? { detail: UNCHECKED } : {}) });
      } else if (entry.kind === 'trigger' && entry.name.startsWith(PROTECTION_TRIGGER_PREFIX)) {
        const name = entry.name.slice(PROTECTION_TRIGGER_PREFIX.length).replace(/_(bump|truncate)$/, '');
        if (protections.has(`${entry.table}/${name}`)) continue;
        protections.add(`${entry.table}/${name}`);
        entries.push({ kind: 'protection', table: entry.table, name, state: 'installed', detail: UNCHECKED });
      } else if (entry.kind === 'function' && entry.state === 'orphaned') {
        continue; // a protection's generated function: whether it is still declared needs the entities
      } else {
        entries.push(entry);
      }
    }
    return { entries, upToDate: entries.every((e) => e.state === 'installed') };
  });
}

async function sourceColumns(client: pg.ClientBase, table: string): Promise<TrackedColumn[]> {
  const { rows } = await client.query<TrackedColumn>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
     WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, [table]);
  return rows;
}

/** Capture triggers by presence: all of them installed, none missing, some outdated. */
async function captureState(client: pg.ClientBase, table: string): Promise<StatusEntry['state']> {
  const dot = table.indexOf('.');
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = ANY($2::text[])`,
    [qualified(table.slice(0, dot), table.slice(dot + 1)), Object.values(CAPTURE_TRIGGER_NAMES)],
  );
  const all = Object.keys(CAPTURE_TRIGGER_NAMES).length;
  return rows[0].n === all ? 'installed' : rows[0].n === 0 ? 'missing' : 'outdated';
}
