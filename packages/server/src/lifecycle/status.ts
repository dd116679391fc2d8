import type pg from 'pg';
import { CAPTURE_TRIGGER_NAMES } from '../ddl/capture-ddl.js';
import { qualified, quoteIdent } from '../ddl/quote.js';
import { defaultSnapshotTableName, resolveSchemaOptions, snapshotColumns, type RowtrailSchemaOptions, type TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { captureTriggers, otherSchemas } from '../install/capture-trigger-schemas.js';
import { COLUMN_MISMATCH_REMEDY, untrackableReason } from '../install/trackable-table.js';
import { renamedTableSource, renamedTableTarget } from '../install/renamed-table-source.js';
import type { RenamedTable } from '../ddl/renamed-table-ddl.js';
import { catalogColumns } from '../install/catalog-columns.js';
import { catalogTableSpec, splitTableName } from '../install/catalog-table-spec.js';
import type { Queryable } from '../install/database-client.js';
import { loadSqlMigrations } from '../install/sql-files.js';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';
import { triggerGroupStatus } from '../protections/trigger-group-state.js';
import { withGeneratedColumns } from '../protections/versioned-columns.js';
import { readGeneratedColumns } from '../protections/generated-columns.js';
import { withoutVirtualColumns } from '../install/virtual-columns.js';
import { describeColumnMismatch, hasColumnMismatch, tableColumnMismatch, type TableColumnMismatch } from '../install/table-column-mismatch.js';
import { appliedAsWritten, attributesText, changedCoreFunctions } from './core-functions.js';
import { registryRows, type RegistryRow } from './registry-rows.js';
import { coreMigrationState, laterCoreVersion } from './core-migrations.js';
import { disabledDetail, disabledTriggers, missingDetail } from './disabled-triggers.js';
import { changedFunctions, changedFunctionsDetail } from './function-bodies.js';
import { expectedObjects } from './expected-objects.js';
import { driftText, hasDrift, historyDrift, type HistoryDrift } from './history-drift.js';
import { withClient } from './with-client.js';
import { orphans } from './status-orphans.js';
import { declaredTableNames } from './declarations.js';
import { PROTECTIONS_KIND, requireSchemaOptions } from '../option-kinds.js';

export { UNTRACKED_HISTORY } from './status-orphans.js';

export type ObjectState = 'installed' | 'outdated' | 'missing' | 'orphaned';

export interface StatusEntry {
  kind: 'core-migration' | 'history-table' | 'capture' | 'append-only' | 'protection' | 'trigger' | 'function';
  /** "schema.table" the object belongs to ("" for core migrations, and for a history table no registry row names). */
  table: string;
  name: string;
  state: ObjectState;
  /**
   * For history tables: columns added, dropped or retyped since the install. Not the columns of a columnMismatch
   * (the declaration changed them, the table has not yet).
   */
  drift?: HistoryDrift;
  /**
   * For the history table of a declared table whose columns are not the declared ones, as install compares them: a
   * column the declaration maps that the table lacks, or has in a type history could not hold its values in
   * unchanged (a declaration changed before the migration that changes its table has run, say). Install refuses the
   * table until they match; the detail says so (starting with COLUMN_MISMATCH).
   */
  columnMismatch?: TableColumnMismatch;
  /** Why an entry is in its state, when the state alone does not say (a core SQL file modified since install, a trigger disabled or a generated function replaced by hand, a history table no registry row names). */
  detail?: string;
  /** For the capture of a declared table renamed since its install: "schema.table" it is called now (install that name). */
  renamedTo?: string;
  /** 'catalog' for the history table, capture and append-only guard of a table tracked with `rowtrail install --table`. */
  declaredBy?: 'catalog';
  /**
   * From databaseStatus(), for the history table, capture and append-only guard of a table whose registry row predates
   * core version 9, which did not record who declared a table: it counts as an application's, though `rowtrail install
   * --table` may have tracked it (running that again records it so).
   */
  declarationUnrecorded?: true;
  /**
   * For a trigger or history table of a table these declarations do not declare but another application does (its
   * install recorded so, core version 23 on): the tables that application declared it with. Such an entry is installed
   * (with a detail saying so), and prune leaves it alone unless told otherwise (otherApplications).
   */
  declaredWith?: string[];
}

export interface RowtrailStatus {
  entries: StatusEntry[];
  /** True when every entry is installed (nothing missing, outdated or orphaned). */
  upToDate: boolean;
}

export interface StatusOptions extends Partial<RowtrailSchemaOptions> {
  protections?: ProtectedTableSpec[];
}

/** Detail of a core function whose body differs from the file that defines it. */
export const CHANGED_CORE_FUNCTION = 'its body differs from the one written by';
/** Detail of a core function whose body is as written but whose settings (search_path) are not. */
export const CHANGED_CORE_FUNCTION_SETTINGS = 'its settings differ from those written by';
/** Detail of a core function whose body is as written but whose volatility, strictness or security is not. */
export const CHANGED_CORE_FUNCTION_ATTRIBUTES = 'its attributes differ from those written by';
/** Start of the detail of the (missing) capture of a registered table that no longer exists: nothing to install; untrack stops tracking it. */
export const TABLE_GONE = 'the table no longer exists';
/**
 * Start of the detail of the capture of a tracked table that became one Rowtrail cannot track since its install (attached
 * as a partition, given an inheritance child): what history records of it now, and what makes it trackable again.
 */
export const HISTORY_MISSES_CHANGES = 'history misses changes';
/** Start of the detail of the history table of a declared table whose columns are not the declared ones (see StatusEntry.columnMismatch). */
export const COLUMN_MISMATCH = 'the table does not match the declared columns';

/** Lists every Rowtrail object the specs expect, and every one the database has that they do not, with its state. */
export async function status(db: Queryable, tracked: TrackedTableSpec[], options: StatusOptions = {}): Promise<RowtrailStatus> {
  requireSchemaOptions(options, 'status', { protections: PROTECTIONS_KIND });
  const resolved = resolveSchemaOptions(options);
  return withClient(db, (client) => collectStatus(client, tracked, options.protections ?? [], resolved));
}

/** status() on a given connection (e.g. inside a transaction). */
export async function collectStatus(client: pg.ClientBase, declared: TrackedTableSpec[], protections: ProtectedTableSpec[], declaredOptions: RowtrailSchemaOptions): Promise<RowtrailStatus> {
  const s = quoteIdent(declaredOptions.schema);
  const installed = (await client.query(`SELECT to_regclass($1) AS r`, [`${s}.tracked_table`])).rows[0].r !== null;
  const registry = await registryRows(client, declaredOptions.schema);
  // Tables `rowtrail install --table` declared (and these specs do not) are checked as that command built them,
  // never counted as undeclared: an application's status and prune leave them alone.
  const declaredNames = new Set(declared.map((t) => `${t.schema}.${t.table}`));
  const catalogDeclared = await withCatalogDeclared(client, declared, declaredNames, registry, declaredOptions);
  const { options } = catalogDeclared;
  const tracked = await withoutVirtualColumns(client, catalogDeclared.tracked);
  const expected = expectedObjects(tracked, withGeneratedColumns(protections, await readGeneratedColumns(client, protections)), options);
  const entries: StatusEntry[] = [];

  const applied = installed
    ? new Map((await client.query<{ id: number; hash: string }>(`SELECT id, hash FROM ${s}.migrations`)).rows.map((r) => [r.id, r.hash]))
    : new Map<number, string>();
  const migrations = loadSqlMigrations();
  for (const m of migrations) {
    const { state, detail } = coreMigrationState(m, applied.get(m.id));
    entries.push({ kind: 'core-migration', table: '', name: m.name, state, ...(detail ? { detail } : {}) });
  }
  // a later release of Rowtrail installed the schema: what this release compares is not what runs there
  const later = laterCoreVersion(applied.keys(), migrations);
  if (later !== undefined) {
    entries.push({
      kind: 'core-migration', table: '', name: `core version ${later}`, state: 'outdated',
      detail: `a later release of Rowtrail installed this schema (this release knows core versions up to ${Math.max(...migrations.map((m) => m.id))}): upgrade this application's @rowtrail/server; its install changes nothing here`,
    });
  }
  // core functions replaced by hand, compared with the files applied as they are now
  for (const f of await changedCoreFunctions(client, options.schema, appliedAsWritten(migrations, applied))) {
    const detail = f.changed === 'body'
      ? `${CHANGED_CORE_FUNCTION} ${f.file}; install restores it`
      : f.changed === 'attributes'
        ? `${CHANGED_CORE_FUNCTION_ATTRIBUTES} ${f.file} (${attributesText(f.attributes)}); install restores them`
        : `${CHANGED_CORE_FUNCTION_SETTINGS} ${f.settingsFile} (${[...f.settings].map(([key, value]) => `${key} = ${value}`).join(', ') || 'none'}); install restores them`;
    entries.push({ kind: 'function', table: options.schema, name: f.signature, state: 'outdated', detail });
  }

  // by the registered (old) name; movable unless the new name has a history of its own already (an earlier table of that
  // name): install refuses to merge them
  const renames = new Map<string, { renamed: RenamedTable; movable: boolean }>();
  const renamedTargets = new Set<string>(); // tables running the capture of a declared table renamed to them
  for (const t of expected.tracked) {
    const table = `${t.spec.schema}.${t.spec.table}`;
    const renamed = await renamedTableSource(client, t.spec, options, declaredNames, registry);
    const movable = renamed !== undefined && !registry.has(table);
    if (renamed) renames.set(renamed.from, { renamed, movable });
    const declaredBy = registry.get(table)?.declared_by === 'catalog' && !declaredNames.has(table) ? { declaredBy: 'catalog' as const } : {};
    const snapshotExists = (await client.query(`SELECT to_regclass($1) AS r`, [qualified(options.schema, t.snapshotTable)])).rows[0].r !== null;
    // why the table cannot be tracked (a partition, say), undefined when it can, null when it does not exist
    const untrackable = await untrackableReason(client, t.spec);
    // columns the declaration maps that the table lacks (or has in another type), compared as install compares them
    // (only for a table install could track: one it refuses for what it is, a partitioned table say, says so instead)
    const mismatch = untrackable === undefined ? await tableColumnMismatch(client, t.spec) : undefined;
    // a declaration changed before the migration that changes its table has run: install refuses the table until
    // that migration has run, so that is what status says, rather than a drift of columns the table does not have
    const declaredMismatch = mismatch && hasColumnMismatch(mismatch) && declaredNames.has(table) ? mismatch : undefined;
    const historyDrifted = installed && snapshotExists ? await historyDrift(client, t.spec, options) : null;
    const drift = historyDrifted && declaredMismatch
      ? withoutMismatched(historyDrifted, declaredMismatch, new Set((await catalogColumns(client, qualified(t.spec.schema, t.spec.table))).map((c) => c.name)))
      : historyDrifted;
    const historyDetail = [
      untrackable && declaredNames.has(table) ? `install refuses it: ${untrackable.reason}` : undefined,
      declaredMismatch ? columnMismatchDetail(declaredMismatch) : undefined,
      renamed && movable ? `the table was renamed from ${renamed.from}: install moves that table's history (${options.schema}.${renamed.fromHistory}) here and continues it` : undefined,
    ].filter((d) => d !== undefined).join('; ');
    entries.push({
      kind: 'history-table', table, name: `${options.schema}.${t.snapshotTable}`,
      state: !snapshotExists ? 'missing' : hasDrift(drift) || declaredMismatch ? 'outdated' : 'installed', ...(drift ? { drift } : {}), ...declaredBy,
      ...(declaredMismatch ? { columnMismatch: declaredMismatch } : {}), ...(historyDetail ? { detail: historyDetail } : {}),
    });
    const source = qualified(t.spec.schema, t.spec.table);
    const present = await captureTriggers(client, source);
    // another installation's capture (an install made before that was refused) records there, not here
    const elsewhere = otherSchemas(present, options.schema);
    // a trigger under an earlier name (LEGACY_CAPTURE_TRIGGER_NAMES): the next install renames it
    const asGenerated = present.length === Object.keys(CAPTURE_TRIGGER_NAMES).length && present.every((p) => p.current)
      && elsewhere.length === 0 && registry.get(table)?.ddl_hash === t.captureHash;
    // a disabled capture trigger, or a capture function replaced by hand, keeps the registry's hash but records nothing
    // a capture of columns the table no longer has (or has in another type: mismatch) fails or alters every write; on a
    // table attached as a partition (or made part of an inheritance hierarchy) since (untrackable), writes through its
    // parent go unrecorded
    // a capture built for another key or other columns than the declared ones (the registry's, as of its install)
    const registered = registry.get(table);
    const rebuilt = present.length > 0 && registered !== undefined && registered.ddl_hash !== t.captureHash;
    const keyChanged = rebuilt && registered.primary_key.join(',') !== t.spec.primaryKey.join(',');
    const detail = present.length === 0 ? '' : [
      keyChanged ? `primary key is now (${t.spec.primaryKey.join(', ')}), the history records (${registered.primary_key.join(', ')}): installing it again `
        + 'records its changes under the new key, while each record\'s earlier versions stay under the old one' : undefined,
      rebuilt && hasDrift(drift) ? `columns changed since its install: ${driftText(drift!)}` : undefined,
      renamed ? `it runs the capture of ${renamed.from} (renamed since): ${movable ? 'install rebuilds it for this name'
        : `install refuses to move that history here, where the registry has the history of an earlier ${table} (docs/lifecycle.md, "Renaming a tracked table")`}` : undefined,
      untrackable ? untrackableDetail(table, untrackable, registered?.declared_by === 'catalog' && !declaredNames.has(table)) : undefined,
      mismatch && hasColumnMismatch(mismatch) ? `${COLUMN_MISMATCH}: ${describeColumnMismatch(mismatch)}` : undefined,
      elsewhere.length > 0 ? capturedElsewhereDetail(table, elsewhere) : undefined,
      ...present.filter((p) => !p.current).map((p) => `its capture trigger ${p.name} has the name an earlier version gave it (a TRUNCATE capture that `
        + 'fired before the protections\' TRUNCATE triggers): install renames it'),
      disabledDetail(table, await disabledTriggers(client, source, Object.values(CAPTURE_TRIGGER_NAMES))),
      // some dropped by hand (under earlier names, the renaming install re-creates them all)
      present.every((p) => p.current) ? missingDetail(table, Object.values(CAPTURE_TRIGGER_NAMES).filter((n) => !present.some((p) => p.name === n))) : undefined,
      asGenerated ? changedFunctionsDetail(table, await changedFunctions(client, t.captureStatements)) : undefined,
    ].filter((d) => d !== undefined).join('; ');
    // no capture on the registered name: the table may have been renamed, taking its capture along
    // (not when the new name is declared as well: install then leaves this history to the table that has the old name)
    const target = present.length === 0 && registry.has(table) ? await renamedTableTarget(client, registry.get(table)!, options.schema) : undefined;
    const renamedTo = target && !(declaredNames.has(table) && declaredNames.has(target)) ? target : undefined;
    if (renamedTo) {
      renamedTargets.add(renamedTo);
      entries.push({
        kind: 'capture', table, name: 'capture', state: 'outdated', renamedTo, ...declaredBy,
        detail: `the table was renamed to ${renamedTo} (it runs this capture, recording under this name): installing the new name moves this history there`,
      });
    } else {
      const captureState = present.length === 0 ? 'missing' : asGenerated && !detail ? 'installed' : 'outdated';
      // a registered table dropped since (not renamed: its capture went with it): installing it fails, untrack stops tracking it
      const gone = present.length === 0 && registry.has(table) && !target && untrackable === null
        ? `${TABLE_GONE} (dropped since its install): untrack stops tracking it and keeps its history, untrack --drop-history --yes drops that too` : '';
      entries.push({ kind: 'capture', table, name: 'capture', state: captureState, ...(detail || gone ? { detail: detail || gone } : {}), ...declaredBy });
    }
    const appendOnly = snapshotExists ? await triggerGroupStatus(client, t.appendOnly) : { state: 'missing' as const };
    entries.push({ kind: 'append-only', table: `${options.schema}.${t.snapshotTable}`, name: 'append_only', ...appendOnly, ...declaredBy });
  }
  for (const g of expected.protections) {
    entries.push({ kind: 'protection', table: `${g.schema}.${g.table}`, name: g.name, ...await triggerGroupStatus(client, g) });
  }

  // the history of a table renamed since is not orphaned: installing the new name moves it there (and prune keeps it)
  entries.push(...(await orphans(client, expected, options, registry, renamedTargets, new Set(declaredTableNames(declared, protections)))).map((e) => {
    const rename = e.kind === 'history-table' ? renames.get(e.table) : undefined;
    if (!rename) return e;
    const { renamed: { to }, movable } = rename;
    return { ...e, state: 'outdated' as const, detail: `the table was renamed to ${to}: ${movable ? 'install moves this history there' : `install refuses to move this history there, where the registry has the history of an earlier ${to}`}` };
  }));
  return { entries, upToDate: entries.every((e) => e.state === 'installed') };
}

/**
 * The specs with those of the tables the registry records as declared by the catalog (`rowtrail install --table`)
 * that they lack, rebuilt from the catalog as that command builds them (with the registered exclusions and ignored
 * columns that still exist), with their registered history table names. A table that cannot be tracked as it is now
 * (renamed or dropped, its primary key dropped) keeps its registered spec: still declared, its capture then outdated
 * or missing, until `install --table` or `untrack`.
 */
async function withCatalogDeclared(
  client: pg.ClientBase, declared: TrackedTableSpec[], declaredNames: Set<string>, registry: Map<string, RegistryRow>, options: RowtrailSchemaOptions,
): Promise<{ tracked: TrackedTableSpec[]; options: RowtrailSchemaOptions }> {
  const catalog: TrackedTableSpec[] = [];
  for (const row of registry.values()) {
    if (row.declared_by !== 'catalog' || declaredNames.has(row.table_name)) continue;
    const current = await catalogTableSpec(client, row.table_name);
    const existing = (list: string[]) => list.filter((c) => current?.columns.some((x) => x.name === c));
    const spec = current && { ...current, exclude: existing(row.excluded), ignoreChanges: existing(row.ignored) };
    const source = splitTableName(row.table_name);
    catalog.push(spec && trackable(spec) ? spec : {
      ...source, label: source.table, primaryKey: row.primary_key, columns: row.columns, exclude: [],
      ignoreChanges: row.ignored.filter((c) => row.columns.some((x) => x.name === c)),
    });
  }
  if (catalog.length === 0) return { tracked: declared, options };
  const registered = new Map(catalog.map((spec) => [`${spec.schema}.${spec.table}`, registry.get(`${spec.schema}.${spec.table}`)!.snapshot_table]));
  const registeredName = (source: { schema: string; table: string }) => registered.get(`${source.schema}.${source.table}`);
  const given = options.snapshotTableName as NamingFunction;
  const byDefault = resolveSchemaOptions().snapshotTableName;
  // The name before it was fitted to 63 bytes, from which the capture DDL adopts a history table PostgreSQL cut
  // (legacySnapshotTableName): install --table names history by default, so a registered name that is the default one
  // was fitted from the default name, and the DDL status expects has the adoption install --table generated.
  const unfitted = (source: { schema: string; table: string }) => {
    const name = registeredName(source);
    if (name === undefined) return given.unfitted?.(source);
    return name === byDefault(source) ? defaultSnapshotTableName(source) : name;
  };
  const snapshotTableName = Object.assign((source: { schema: string; table: string }) => registeredName(source) ?? given(source), { unfitted });
  return { tracked: [...declared, ...catalog], options: { ...options, snapshotTableName } };
}

/** A naming function as resolveSchemaOptions() makes it: with the name it fitted (legacySnapshotTableName reads it). */
type NamingFunction = RowtrailSchemaOptions['snapshotTableName'] & { unfitted?: (source: { schema: string; table: string }) => string | undefined };

function trackable(spec: TrackedTableSpec): boolean {
  try {
    snapshotColumns(spec);
    return true;
  } catch {
    return false;
  }
}

/**
 * "history misses changes: acct_child inherits from it now: …; install refuses public.acct as it is: run ALTER TABLE
 * acct_child NO INHERIT acct to track it again, or stop tracking it with rowtrail untrack public.acct (its history is kept)"
 */
function untrackableDetail(table: string, untrackable: NonNullable<Awaited<ReturnType<typeof untrackableReason>>>, byCatalog: boolean): string {
  const { tracked } = untrackable;
  if (!tracked) return `${HISTORY_MISSES_CHANGES}: ${untrackable.reason.replace(/ Track .*$/, '')}`;
  const stop = byCatalog ? ` with rowtrail untrack ${table} (its history is kept)` : ': stop declaring it (@Tracked), then prune';
  return `${HISTORY_MISSES_CHANGES}: ${tracked.effect}; install refuses ${table} as it is: run ${tracked.detach.join('; ')} to track it again, or stop tracking it${stop}`;
}

/** "the table does not match the declared columns (column nickname is not in the table), and install refuses it …" */
const columnMismatchDetail = (m: TableColumnMismatch) =>
  `${COLUMN_MISMATCH} (${describeColumnMismatch(m)}), and install refuses it until they match: ${COLUMN_MISMATCH_REMEDY}`;

/**
 * The drift less the columns of a mismatch: a declared column the table lacks was not added to the table, nor one it has
 * in another type retyped, nor one the declaration no longer maps but the table still has (a column renamed in the
 * entity before its migration) dropped.
 */
const withoutMismatched = (d: HistoryDrift, m: TableColumnMismatch, tableColumns: ReadonlySet<string>): HistoryDrift => ({
  added: d.added.filter((c) => !m.missing.includes(c)),
  dropped: d.dropped.filter((c) => !tableColumns.has(c)),
  retyped: d.retyped.filter((r) => !m.retyped.some((x) => x.name === r.name)),
});

const capturedElsewhereDetail = (table: string, schemas: string[]) =>
  `capture triggers of ${table} run the functions of the Rowtrail installation in schema ${schemas.map((x) => `"${x}"`).join(', ')}, so its changes are recorded there, not here; install refuses the table until that capture is removed`;
