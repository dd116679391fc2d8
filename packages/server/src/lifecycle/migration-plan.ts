import type pg from 'pg';
import { refuseUnrecordedSoftDeletes } from '../protections/soft-delete-history-check.js';
import { ANY_CAPTURE_TRIGGER_NAMES, buildDropCaptureDdl, CAPTURE_FUNCTION_SUFFIXES, lockTrackedTable } from '../ddl/capture-ddl.js';
import { identifierName } from '../ddl/identifier-name.js';
import { qualified, quoteIdent, quoteLiteral } from '../ddl/quote.js';
import { resolveSchemaOptions, type RowtrailSchemaOptions, type TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { dollarQuote } from '../ddl/dollar-quote.js';
import { trackedElsewhereGuard } from '../ddl/tracked-elsewhere-guard.js';
import { recordUnrecordedColumnsSql } from '../ddl/unrecorded-columns.js';
import type { Queryable } from '../install/database-client.js';
import { assertDistinctHistoryTables, assertTrackableTable, assertUnambiguousTableNames } from '../install/trackable-table.js';
import { assertInstallableSchema } from '../install/rowtrail-schema-guard.js';
import { loadSqlMigrations, renderSql, type SqlMigration } from '../install/sql-files.js';
import { dropTriggerGroup, type TriggerGroupDdl } from '../protections/trigger-group.js';
import { protectionElsewhereError, triggersElsewhere } from '../protections/protection-elsewhere.js';
import { buildHistoryAppendOnlyDdl } from '../protections/history-append-only-ddl.js';
import { withGeneratedColumns } from '../protections/versioned-columns.js';
import { refuseGeneratedFields } from '../protections/generated-field-check.js';
import { readGeneratedColumns } from '../protections/generated-columns.js';
import { undeclaredProtections } from '../protections/undeclared-protections.js';
import { withoutVirtualColumns } from '../install/virtual-columns.js';
import { assertSupportedServer } from '../install/server-version.js';
import { coreFunctions } from './core-functions.js';
import { laterCoreVersion } from './core-migrations.js';
import { createdSchemaDdl } from './created-schema-ddl.js';
import { registryRows } from './registry-rows.js';
import { declarationRows, declarationsRecorded, declaredTableNames, recordDeclarationsSql, restoreDeclarationsSql } from './declarations.js';
import { assertRenameTargetFree, renamedTableSource } from '../install/renamed-table-source.js';
import { dropUnusedFunctions, protectionFunctionsOf } from '../install/renamed-table-protections.js';
import { renamedTableDdl } from '../ddl/renamed-table-ddl.js';
import { collectStatus, type StatusOptions } from './status.js';
import { expectedObjects } from './expected-objects.js';
import { plannedRetypes, renameRetypedStatements, restoreRetypedStatements } from './history-retype.js';
import { previousDefinitions } from './previous-definitions.js';
import { jsonbLiteral, textArrayLiteral, textLiteral } from './sql-literals.js';
import { withClient } from './with-client.js';
import { PROTECTIONS_KIND, requireSchemaOptions } from '../option-kinds.js';

export interface MigrationPlan {
  /** Statements that bring the database to the specs, as install() would. */
  up: string[];
  /** Statements that restore the previous triggers and registry rows. History columns and rows are kept. */
  down: string[];
  /** One line per change, for the migration's comment and the CLI. */
  changes: string[];
  /** What the migration cannot fix (a core SQL file modified since it was applied), for the CLI. */
  warnings?: string[];
}

interface Unit { change: string; up: string[]; down: string[] }

/**
 * Plans a migration against a live database: what install() would run for
 * these specs, as SQL, with a down that restores the replaced definitions.
 * Reads only; nothing is changed.
 */
export async function planMigration(db: Queryable, tracked: TrackedTableSpec[], options: StatusOptions = {}): Promise<MigrationPlan> {
  requireSchemaOptions(options, 'planMigration', { protections: PROTECTIONS_KIND });
  const resolved = resolveSchemaOptions(options);
  return withClient(db, (client) => plan(client, tracked, options, resolved));
}

async function plan(client: pg.ClientBase, declared: TrackedTableSpec[], options: StatusOptions, resolved: RowtrailSchemaOptions): Promise<MigrationPlan> {
  await assertSupportedServer(client);
  await assertInstallableSchema(client, resolved.schema);
  const tracked = await withoutVirtualColumns(client, declared);
  const s = quoteIdent(resolved.schema);
  const { entries } = await collectStatus(client, tracked, options.protections ?? [], resolved);
  const state = (kind: string, table: string, name?: string) => entries.find((e) => e.kind === kind && e.table === table && (name === undefined || e.name === name))?.state;
  // to_regnamespace reads an identifier: quoted, so a schema named "Audit" or 'audit trail' is found
  const schemaExists = (await client.query(`SELECT to_regnamespace($1) AS n`, [s])).rows[0].n !== null;
  const units: Unit[] = [];

  const createdSchema = schemaExists ? undefined : createdSchemaDdl(resolved.schema);
  if (createdSchema) units.push({ change: `create schema ${resolved.schema}`, up: createdSchema.up, down: createdSchema.down });
  const warnings: string[] = [];
  const migrations = loadSqlMigrations();
  // a later release installed the schema: this release's definitions would take its later ones back (as install refuses)
  const recorded = schemaExists && (await client.query(`SELECT to_regclass($1) IS NOT NULL AS e`, [`${s}.migrations`])).rows[0].e
    ? (await client.query<{ id: number }>(`SELECT id FROM ${s}.migrations`)).rows.map((r) => r.id) : [];
  const later = laterCoreVersion(recorded, migrations);
  if (later !== undefined) {
    throw new Error(`Rowtrail: schema "${resolved.schema}" has core version ${later}, installed by a later release of Rowtrail than this one (version ${Math.max(...migrations.map((m) => m.id))}): `
      + 'a migration planned by this release would take its later capture and protection functions back. Upgrade @rowtrail/server and plan it again; nothing was planned');
  }
  for (const m of migrations) {
    const core = entries.find((e) => e.kind === 'core-migration' && e.name === m.name);
    // an applied file is never run again (its objects exist): one modified since is reported, not re-run
    if (core?.state === 'outdated') warnings.push(`core migration ${m.name}: ${core.detail}`);
    if (core?.state !== 'missing') continue;
    units.push({
      change: `core migration ${m.name}`,
      up: [coreFileOnce(s, m, renderSql(m.source, resolved.schema))],
      down: [], // core migrations are forward-only (the schema is dropped when this migration created it)
    });
  }
  // core functions replaced by hand (status lists them as outdated functions) are defined again, as install does, by
  // their last definition in sql/: it runs after any core file this migration applies, so it is what that file left
  const changedCore = new Set(entries.filter((e) => e.kind === 'function' && e.state === 'outdated').map((e) => e.name));
  for (const f of coreFunctions(resolved.schema, migrations).filter((c) => changedCore.has(c.signature))) {
    units.push({ change: `restore core function ${f.signature}`, up: [f.statement], down: [] });
  }

  const protections = options.protections ?? [];
  const generated = await readGeneratedColumns(client, protections);
  refuseGeneratedFields(protections, generated);
  const expected = expectedObjects(tracked, withGeneratedColumns(protections, generated), resolved);
  const refreshEventView = `SELECT ${s}.refresh_event_view()`; // rowtrail.event lists the registry's history tables
  assertDistinctHistoryTables(tracked, resolved);
  assertUnambiguousTableNames(protections, 'protect');
  // who declares each registered table (core version 9 on; before it every row becomes the application's)
  const registry = await registryRows(client, resolved.schema);
  await refuseUnrecordedSoftDeletes(client, resolved.schema, tracked, protections, registry);
  const declaredNames = new Set(tracked.map((t) => `${t.schema}.${t.table}`));
  const replacedProtectionFunctions: string[] = []; // those named after a renamed table's old name
  for (const t of expected.tracked) {
    const table = `${t.spec.schema}.${t.spec.table}`;
    // renamed since its install (as install() does): its registry row and history table move to the new name first
    // (also when the new name has a registry row of its own: the move is then refused, as install() refuses it)
    const renamed = await renamedTableSource(client, t.spec, resolved, declaredNames, registry);
    if (renamed) await assertRenameTargetFree(client, renamed, resolved.schema);
    const renameDdl = renamed ? renamedTableDdl(resolved.schema, renamed) : undefined;
    if (renamed) replacedProtectionFunctions.push(...await protectionFunctionsOf(client, qualified(t.spec.schema, t.spec.table), resolved.schema));
    await assertTrackableTable(client, t.spec, resolved, renamed?.from); // (the history it had under its old name is its own)
    const current = state('capture', table);
    const drift = entries.find((e) => e.kind === 'history-table' && e.table === table)?.drift;
    if (current !== 'installed' || state('history-table', table) !== 'installed') { // (re)install its capture
      // a renamed table's columns retyped in the same release: read from its history under the old name, which up has
      // renamed by the time it retypes them
      const planned = schemaExists
        ? await plannedRetypes(client, t.spec, renamed ? { ...resolved, snapshotTableName: () => renamed.fromHistory } : resolved)
        : { snapshot: '', retypes: [] };
      const { retypes } = planned;
      const snapshot = renamed ? qualified(resolved.schema, renamed.toHistory) : planned.snapshot;
      const restore = schemaExists ? await previousDefinitions(client, t.spec.schema, t.spec.table, [...ANY_CAPTURE_TRIGGER_NAMES], resolved.schema) : [];
      const previousRow = schemaExists
        ? (await client.query(`SELECT * FROM ${s}.tracked_table WHERE table_name = $1`, [renamed?.from ?? table])).rows[0]
        : undefined;
      // down drops the capture functions this migration creates (all of them on a first install, the
      // truncate capture on an installation made before it existed); restore replaces the others
      const functionNames = CAPTURE_FUNCTION_SUFFIXES.map((x) => `${qualified(resolved.schema, identifierName(t.snapshotTable, x))}()`);
      const existing = schemaExists && restore.length > 0
        ? (await client.query<{ present: boolean[] }>(`SELECT array_agg(to_regprocedure(f) IS NOT NULL ORDER BY n) AS present FROM unnest($1::text[]) WITH ORDINALITY AS u(f, n)`, [functionNames])).rows[0].present
        : functionNames.map(() => false);
      const newFunctions = functionNames.filter((_, i) => !existing[i]).map((f) => `DROP FUNCTION IF EXISTS ${f}`);
      units.push({
        change: `history capture of ${table}${renamed ? ` (renamed from ${renamed.from}: its history continues under the new name)` : ''}${drift ? ` (${describeDrift(drift)})` : ''}`,
        // the tracked table is locked before its history table (the capture statements start so too), as writes lock them
        up: [
          ...trackedElsewhereGuard(t.spec, resolved.schema), ...(renameDdl?.adopt ?? []), ...(retypes.length > 0 ? [lockTrackedTable(t.spec)] : []),
          ...renameRetypedStatements(snapshot, retypes), ...t.captureStatements, ...(renameDdl?.dropOldFunctions ?? []),
          registryUpsert(s, t.spec, t.snapshotTable, t.captureHash), recordUnrecordedColumnsSql(resolved.schema, t.spec), refreshEventView,
        ],
        down: [
          // the restored functions write the old types: retyped columns get their old column back
          ...buildDropCaptureDdl(t.spec), ...newFunctions, ...restoreRetypedStatements(snapshot, retypes), ...restore,
          // a renamed table's registry row and history go back to its old name, whose row is restored as it was (and
          // the history's append-only guard as that name had it: the append-only unit's down keeps the guard)
          ...(renamed && renameDdl ? [...renameDdl.undo, ...buildHistoryAppendOnlyDdl(resolved.schema, renamed.fromHistory).statements, registryRestore(s, previousRow)]
            // the columns left out are read again where down runs (not those of the database planned against)
            : previousRow ? [registryRestore(s, previousRow), recordUnrecordedColumnsSql(resolved.schema, t.spec)] : [`DELETE FROM ${s}.tracked_table WHERE table_name = ${quoteLiteral(table)}`]),
          refreshEventView,
        ],
      });
    } else {
      const row = registry.get(table);
      if (row && row.declared_by !== 'application') {
        // the same capture, now the entities': recorded as install() records it, so status and prune count it as theirs
        units.push({
          change: `declare ${table} as the application's (was ${row.declared_by === 'catalog' ? 'install --table' : 'untracked'})`,
          up: [`UPDATE ${s}.tracked_table SET declared_by = 'application' WHERE table_name = ${quoteLiteral(table)}`],
          down: [`UPDATE ${s}.tracked_table SET declared_by = ${textLiteral(row.declared_by)} WHERE table_name = ${quoteLiteral(table)}`],
        });
      }
      const unrecorded = row ? await unrecordedColumnsUnit(client, resolved.schema, t.spec, row.unrecorded) : undefined;
      if (unrecorded) units.push(unrecorded);
    }
    if (state('append-only', `${resolved.schema}.${t.snapshotTable}`) !== 'installed') units.push(appendOnlyUnit(t.appendOnly));
  }
  for (const g of expected.protections) {
    if (state('protection', `${g.schema}.${g.table}`, g.name) !== 'installed') units.push(await groupUnit(client, g, resolved.schema, schemaExists));
  }
  // as install() does: a protection a protected table no longer declares (renamed or removed) is dropped; down restores it
  for (const gone of await undeclaredProtections(client, expected.protections, resolved.schema)) {
    units.push({
      change: `remove protection trigger ${gone.trigger} from ${gone.schema}.${gone.table} (no longer declared)`,
      up: gone.statements,
      down: await previousDefinitions(client, gone.schema, gone.table, [gone.trigger], resolved.schema),
    });
  }

  if (replacedProtectionFunctions.length > 0) {
    // as install() does; down has nothing to do: the protections' own units restore these functions with their triggers
    units.push({ change: 'remove the protection functions of renamed tables that no trigger runs any more', up: dropUnusedFunctions(replacedProtectionFunctions), down: [] });
  }
  if (units.length === 0) return { up: [], down: [], changes: [], warnings };
  // as install() does, which tables this application declares together (no change line of its own: a migration with
  // nothing else to do need not be written for it, since a stale row still links this application's tables)
  const declaredTables = declaredTableNames(tracked, protections);
  const declarations = await declarationRows(client, resolved.schema);
  if (declaredTables.length > 0 && !declarationsRecorded(declaredTables, declarations)) {
    units.push({ change: '', up: [recordDeclarationsSql(resolved.schema, declaredTables)], down: restoreDeclarationsSql(resolved.schema, declaredTables, declarations) });
  }
  const lock = `SELECT pg_advisory_xact_lock(hashtext('rowtrail.install:' || ${quoteLiteral(resolved.schema)}))`;
  return {
    up: [lock, ...units.flatMap((u) => u.up)],
    down: [lock, ...(createdSchema ? createdSchema.down : [...units].reverse().flatMap((u) => u.down))],
    changes: units.map((u) => u.change).filter((c) => c !== ''),
    warnings,
  };
}

/**
 * A core SQL file and its row in the migrations table, run only where that row is missing when the migration runs:
 * core files are forward-only (down keeps what they made), so a migration run again after its down, or a second
 * migration generated with the same file (on another branch, say), would otherwise fail on objects the file made.
 */
function coreFileOnce(s: string, migration: SqlMigration, sql: string): string {
  return `DO ${dollarQuote(`
BEGIN
  IF NOT EXISTS (SELECT FROM ${s}.migrations WHERE id = ${migration.id}) THEN
    EXECUTE ${dollarQuote(sql, 'rowtrail_core')};
    INSERT INTO ${s}.migrations (id, name, hash) VALUES (${migration.id}, ${quoteLiteral(migration.name)}, ${quoteLiteral(migration.hash)});
  END IF;
END
`, 'rowtrail_once')}`;
}

/**
 * When the columns the table's capture leaves out differ from those the registry lists (a column no entity maps
 * added since the install, or a registry row from before core version 13, which lists none), records them as install
 * does, so that status without the entities does not report them as added. Read with the core function that records
 * them (the registry row's columns and exclusions, which an install that changes no capture leaves as they were), so
 * that the next plan finds nothing left to do. Down leaves the list as up wrote it: any list is as true.
 */
async function unrecordedColumnsUnit(client: pg.ClientBase, rowtrailSchema: string, spec: TrackedTableSpec, listed: string[] | null): Promise<Unit | undefined> {
  const table = `${spec.schema}.${spec.table}`;
  let change = `record the columns of ${table} its history leaves out`;
  if (listed) { // core version 13 on: its function reads them
    const { rows: [{ names }] } = await client.query<{ names: string[] }>(
      `SELECT ${quoteIdent(rowtrailSchema)}.unrecorded_columns($1, $2::regclass) AS names`, [table, qualified(spec.schema, spec.table)],
    );
    if (names.length === listed.length && names.every((name, i) => name === listed[i])) return undefined;
    if (names.length > 0) change += ` (${names.join(', ')})`;
  }
  return { change, up: [recordUnrecordedColumnsSql(rowtrailSchema, spec)], down: [] };
}

async function groupUnit(client: pg.ClientBase, group: TriggerGroupDdl, rowtrailSchema: string, schemaExists: boolean): Promise<Unit> {
  // another installation's protection of the same name on the table: refused now, as install refuses it (its
  // statements check again where the migration runs)
  const elsewhere = group.rowtrailSchema !== undefined ? await triggersElsewhere(client, group, group.rowtrailSchema) : [];
  if (elsewhere.length > 0) throw protectionElsewhereError(group, group.rowtrailSchema!, elsewhere);
  // the triggers up drops as stale are restored too (with the functions they run)
  const restore = schemaExists ? await previousDefinitions(client, group.schema, group.table, [...group.triggers, ...group.staleTriggers], rowtrailSchema) : [];
  return { change: `protection ${group.name} on ${group.schema}.${group.table}`, up: group.statements, down: [...dropTriggerGroup(group), ...restore] };
}

/**
 * A history table's append-only guard. Its down keeps the guard up installed: down never drops a
 * history table, and a history table stays append-only as long as it exists.
 */
function appendOnlyUnit(group: TriggerGroupDdl): Unit {
  return { change: `protection ${group.name} on ${group.schema}.${group.table}`, up: group.statements, down: [] };
}

function describeDrift(drift: { added: string[]; dropped: string[]; retyped: Array<{ name: string; from: string; to: string }> }): string {
  return [
    ...drift.added.map((c) => `+${c}`),
    ...drift.dropped.map((c) => `-${c} (kept in history)`),
    ...drift.retyped.map((c) => `${c.name}: ${c.from} -> ${c.to}`),
  ].join(', ') || 'no column change';
}

function registryUpsert(s: string, spec: TrackedTableSpec, snapshotTable: string, hash: string): string {
  return `INSERT INTO ${s}.tracked_table (table_name, snapshot_table, primary_key, columns, excluded, ignored, ddl_hash, declared_by)
VALUES (${quoteLiteral(`${spec.schema}.${spec.table}`)}, ${quoteLiteral(snapshotTable)}, ${textArrayLiteral(spec.primaryKey)}, ${jsonbLiteral(spec.columns.filter((c) => !spec.exclude.includes(c.name)))}, ${textArrayLiteral(spec.exclude)}, ${textArrayLiteral(spec.ignoreChanges)}, ${quoteLiteral(hash)}, 'application')
ON CONFLICT (table_name) DO UPDATE SET snapshot_table = EXCLUDED.snapshot_table, primary_key = EXCLUDED.primary_key,
  columns = EXCLUDED.columns, excluded = EXCLUDED.excluded, ignored = EXCLUDED.ignored, ddl_hash = EXCLUDED.ddl_hash,
  declared_by = EXCLUDED.declared_by, installed_at = clock_timestamp()`;
}

function registryRestore(s: string, row: Record<string, unknown>): string {
  const r = row as { table_name: string; snapshot_table: string; primary_key: string[]; columns: unknown; excluded: string[]; ignored: string[]; ddl_hash: string; declared_by?: string | null };
  // declared_by exists from core version 9 on (a migration planned before it applied restores the rest)
  const declaredBy = r.declared_by !== undefined ? `, declared_by = ${textLiteral(r.declared_by)}` : '';
  return `UPDATE ${s}.tracked_table SET snapshot_table = ${quoteLiteral(r.snapshot_table)}, primary_key = ${textArrayLiteral(r.primary_key)},
  columns = ${jsonbLiteral(r.columns)}, excluded = ${textArrayLiteral(r.excluded)}, ignored = ${textArrayLiteral(r.ignored)}, ddl_hash = ${textLiteral(r.ddl_hash)}${declaredBy}
WHERE table_name = ${quoteLiteral(r.table_name)}`;
}
