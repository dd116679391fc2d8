import type pg from 'pg';
import { CAPTURE_FUNCTION_SUFFIXES, LEGACY_CAPTURE_TRIGGER_NAMES } from '../ddl/capture-ddl.js';
import { identifierName, postgresIdentifier } from '../ddl/identifier-name.js';
import { qualified } from '../ddl/quote.js';
import type { RowtrailSchemaOptions } from '../ddl/tracked-table-spec.js';
import { HASH_COMMENT_PREFIX } from '../protections/trigger-group.js';
import { HISTORY_APPEND_ONLY_TRIGGER } from '../protections/history-append-only-ddl.js';
import { declarationRows, declaredElsewhere, declaredElsewhereDetail } from './declarations.js';
import { expectedObjects, expectedTriggerKeys } from './expected-objects.js';
import { historyTablesInSchema } from './history-tables.js';
import type { RegistryRow } from './registry-rows.js';
import type { StatusEntry } from './status.js';

/**
 * Rowtrail triggers, generated functions and history tables of this installation (options.schema)
 * that no spec expects. A trigger is this installation's when the function it runs lives in its
 * schema: another Rowtrail schema in the same database (its own capture triggers and guards) is not
 * this one's to report or prune. Those of a table another application declares (the declaration
 * registry says so: see declarations.ts) are reported installed, with declaredWith.
 */
export async function orphans(
  client: pg.ClientBase, expected: ReturnType<typeof expectedObjects>, options: RowtrailSchemaOptions,
  registry: Map<string, RegistryRow>, renamedTargets: ReadonlySet<string>, declared: ReadonlySet<string>,
): Promise<StatusEntry[]> {
  const entries: StatusEntry[] = [];
  const elsewhere = declaredElsewhere(declared, await declarationRows(client, options.schema));
  // an undeclared table's object: orphaned, or installed when another application declares the table
  const undeclared = (entry: StatusEntry, table = entry.table): StatusEntry => {
    const declaredWith = elsewhere(table);
    return declaredWith ? { ...entry, state: 'installed', detail: declaredElsewhereDetail(declaredWith), declaredWith } : entry;
  };
  // the table whose capture a capture function is, by the registry (a renamed table's triggers run its old name's)
  const captureOf = new Map([...registry.values()].flatMap((r) => CAPTURE_FUNCTION_SUFFIXES.map((suffix) => [identifierName(r.snapshot_table, suffix), r.table_name] as const)));
  const keys = expectedTriggerKeys(expected, options);
  const { rows: triggers } = await client.query<{ schema: string; table: string; name: string; function: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, t.tgname AS name, p.proname AS function
     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace fn ON fn.oid = p.pronamespace
     WHERE NOT t.tgisinternal AND t.tgname LIKE 'rowtrail\\_%' AND t.tgname NOT LIKE 'rowtrail\\_core\\_%'
       AND fn.nspname = $1
       -- a partitioned table's row triggers run as clones on its partitions: they come and go with the parent's
       AND t.tgparentid = 0
     ORDER BY 1, 2, 3`,
    [options.schema],
  );
  // the capture of a table install --table declared, wherever it runs now (a renamed table keeps recording): untrack removes it
  const catalogCapture = new Set([...registry.values()].filter((r) => r.declared_by === 'catalog')
    .flatMap((r) => CAPTURE_FUNCTION_SUFFIXES.map((suffix) => identifierName(r.snapshot_table, suffix))));
  const trackedNames = new Set(expected.tracked.map((t) => `${t.spec.schema}.${t.spec.table}`));
  // a spec written in code may name a table longer than 63 bytes as written, which the catalog has cut there: its
  // triggers are looked up under the declared name, never reported (and pruned) as orphans for its length
  const kept = (schema: string, table: string) => `${postgresIdentifier(schema)}.${postgresIdentifier(table)}`;
  const declaredAs = new Map([...expected.tracked.map((t) => t.spec), ...expected.protections]
    .map(({ schema, table }) => [kept(schema, table), { schema, table }]));
  // functions a kept trigger runs: not orphaned (a renamed table's protections run those named after its old name
  // until installing its new name replaces them), nor could prune drop them
  const running = new Set<string>();
  for (const t of triggers) {
    const declared = declaredAs.get(`${t.schema}.${t.table}`) ?? t;
    const table = `${declared.schema}.${declared.table}`;
    // a history table stays append-only as long as it exists, tracked or not (and one outside this schema is not this installation's)
    if (t.name === HISTORY_APPEND_ONLY_TRIGGER || catalogCapture.has(t.function)) continue;
    // a declared table's capture and protections on the table it was renamed to (its capture entry says so): installing
    // that name moves them, and prune must not remove them meanwhile
    if (renamedTargets.has(`${t.schema}.${t.table}`)) {
      running.add(t.function);
      continue;
    }
    // a declared table's capture trigger under its earlier name is its capture still (reported outdated): install renames
    // it, prune must not drop it
    if (LEGACY_CAPTURE_TRIGGER_NAMES.includes(t.name) && trackedNames.has(table)) continue;
    if (keys.has(`${table}/${t.name}`)) {
      running.add(t.function);
      continue;
    }
    const entry = undeclared({ kind: 'trigger', table: `${t.schema}.${t.table}`, name: t.name, state: 'orphaned' }, captureOf.get(t.function) ?? table);
    entries.push(entry);
    if (entry.state === 'installed') running.add(t.function); // (its functions are that application's too)
  }
  const expectedFunctions = new Set(expected.protections.flatMap((g) => g.functions));
  const { rows: functions } = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = $1 AND starts_with(coalesce(obj_description(p.oid, 'pg_proc'), ''), $2) ORDER BY 1`,
    [options.schema, HASH_COMMENT_PREFIX],
  );
  for (const f of functions) {
    const signature = `${qualified(f.schema, f.name)}()`;
    if (!expectedFunctions.has(signature) && !running.has(f.name)) entries.push({ kind: 'function', table: options.schema, name: signature, state: 'orphaned' });
  }
  for (const [table, row] of registry) {
    if (trackedNames.has(table)) continue;
    const entry: StatusEntry = { kind: 'history-table', table, name: `${options.schema}.${row.snapshot_table}`, state: 'orphaned' };
    // untracked (declared by nobody, rowtrail untrack kept its history): orphaned for every application
    entries.push(row.declared_by === null ? entry : undeclared(entry));
  }
  const known = new Set([...registry.values()].map((r) => r.snapshot_table).concat(expected.tracked.map((t) => t.snapshotTable)));
  for (const snapshot of await untrackedHistoryTables(client, options.schema, known)) {
    entries.push({ kind: 'history-table', table: '', name: `${options.schema}.${snapshot}`, state: 'orphaned', detail: UNTRACKED_HISTORY });
  }
  return entries;
}

export const UNTRACKED_HISTORY = 'no tracked_table row names this history table (left by a migration\'s down or by hand); prune --drop-history --yes drops it';

/** History tables in the Rowtrail schema other than the known ones (named by the registry or expected by a spec). */
async function untrackedHistoryTables(client: pg.ClientBase, schema: string, known: Set<string>): Promise<string[]> {
  return (await historyTablesInSchema(client, schema)).filter((name) => !known.has(name));
}
