import type pg from 'pg';
import { buildCaptureDdl, CAPTURE_TRIGGER_NAMES } from '../ddl/capture-ddl.js';
import { qualified, quoteIdent } from '../ddl/quote.js';
import { recordUnrecordedColumnsSql } from '../ddl/unrecorded-columns.js';
import { resolveSchemaOptions, type RowtrailSchemaOptions, type TableDeclaration, type TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { inTransaction, type Queryable } from './database-client.js';
import { lockInstall, lockTrackedTables } from './install-lock.js';
import { assertDistinctHistoryTables, assertTrackableTable, assertUnambiguousTableNames } from './trackable-table.js';
import { assertInstallableSchema } from './rowtrail-schema-guard.js';
import { InstallStatementError } from './statement-error.js';
import { withoutVirtualColumns } from './virtual-columns.js';
import { assertSupportedServer } from './server-version.js';
import { NOT_FIRING_SQL } from '../lifecycle/disabled-triggers.js';
import { changedFunctions } from '../lifecycle/function-bodies.js';
import { reconcileRetypedColumns } from '../lifecycle/history-retype.js';
import { installHistoryAppendOnly, installProtections } from '../protections/install-protections.js';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';
import { refuseUnrecordedSoftDeletes } from '../protections/soft-delete-history-check.js';
import { appliedAsWritten, changedCoreFunctions } from '../lifecycle/core-functions.js';
import { laterCoreVersion } from '../lifecycle/core-migrations.js';
import { loadSqlMigrations, renderSql } from './sql-files.js';
import { registryRows, type RegistryRow } from '../lifecycle/registry-rows.js';
import { declaredTableNames, recordDeclarationsSql } from '../lifecycle/declarations.js';
import { assertRenameTargetFree, renamedTableSource } from './renamed-table-source.js';
import { dropUnusedFunctions, protectionFunctionsOf } from './renamed-table-protections.js';
import { renamedTableDdl } from '../ddl/renamed-table-ddl.js';
import { PROTECTIONS_KIND, requireSchemaOptions } from '../option-kinds.js';
import { retryingLockConflicts } from './lock-conflict-retry.js';

export interface InstallResult {
  /** Core migrations applied by this call (empty when already up to date). */
  appliedMigrations: string[];
  /** Tracked tables whose snapshot table or triggers were created or changed. */
  updatedTables: string[];
  /** Core schema version after the install. */
  version: number;
  /** Protections created or changed, as "schema.table:name". */
  updatedProtections: string[];
  /** Tracked tables renamed since their install whose history now continues under the new name, as "schema.table". */
  renamedTables: { from: string; to: string }[];
  /** Core functions that had been replaced by hand and were defined again from their file, as signatures. */
  restoredFunctions: string[];
  /**
   * The core version a later release of Rowtrail installed in the schema, when it is above this release's: this install
   * then changed nothing (an older instance of an application during a rolling deploy would otherwise write its older
   * capture and protection functions over the later ones), and warned (ROWTRAIL_LATER_RELEASE).
   */
  laterRelease?: number;
}

export interface InstallOptions extends Partial<RowtrailSchemaOptions> {
  /** Protection triggers to install (tables need not be tracked). */
  protections?: ProtectedTableSpec[];
}

/** Applies the core SQL migrations not yet recorded. Call inside a transaction holding the install lock. */
async function applyCoreMigrations(client: pg.ClientBase, schema: string): Promise<{ applied: string[]; version: number; restored: string[]; later?: number }> {
  const s = quoteIdent(schema);
  await assertInstallableSchema(client, schema);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${s}.migrations (
    id integer PRIMARY KEY, name text NOT NULL, hash text NOT NULL, installed_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  const { rows } = await client.query<{ id: number; hash: string }>(`SELECT id, hash FROM ${s}.migrations`);
  const recorded = new Map(rows.map((r) => [r.id, r.hash]));
  const applied: string[] = [];
  const migrations = loadSqlMigrations();
  const version = Math.max(0, ...migrations.map((m) => m.id));
  const later = laterCoreVersion(recorded.keys(), migrations);
  if (later !== undefined) return { applied, version, restored: [], later };
  for (const migration of migrations) {
    if (recorded.has(migration.id)) continue;
    try {
      await client.query(renderSql(migration.source, schema));
    } catch (error) {
      throw new Error(`Rowtrail: installing sql/${String(migration.id).padStart(6, '0')}_${migration.name}.sql into schema "${schema}" failed: ${(error as Error).message}`, { cause: error });
    }
    await client.query(`INSERT INTO ${s}.migrations (id, name, hash) VALUES ($1, $2, $3)`, [migration.id, migration.name, migration.hash]);
    recorded.set(migration.id, migration.hash);
    applied.push(migration.name);
  }
  // a core function replaced by hand (say, rowtrail.protect() made to let everything through) is defined again
  const restored: string[] = [];
  for (const f of await changedCoreFunctions(client, schema, appliedAsWritten(migrations, recorded))) {
    await client.query(f.statement);
    restored.push(f.signature);
  }
  return { applied, version, restored };
}

/** Creates or updates one table's snapshot table and capture triggers, and records it in the registry. */
async function installCapture(client: pg.ClientBase, spec: TrackedTableSpec, options: RowtrailSchemaOptions, declaredBy: TableDeclaration): Promise<boolean> {
  const s = quoteIdent(options.schema);
  const tableName = `${spec.schema}.${spec.table}`;
  const ddl = buildCaptureDdl(spec, options);
  const { rows } = await client.query<{ ddl_hash: string }>(`SELECT ddl_hash FROM ${s}.tracked_table WHERE table_name = $1`, [tableName]);
  // a capture trigger disabled by hand (ALTER TABLE … DISABLE TRIGGER) counts as absent: the DDL re-creates it enabled
  const triggersPresent = await client.query(
    `SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = ANY($2::text[]) AND NOT (${NOT_FIRING_SQL})`,
    [`${quoteIdent(spec.schema)}.${quoteIdent(spec.table)}`, Object.values(CAPTURE_TRIGGER_NAMES)],
  );
  if (rows[0]?.ddl_hash === ddl.hash && triggersPresent.rowCount === Object.keys(CAPTURE_TRIGGER_NAMES).length
    && (await changedFunctions(client, ddl.statements)).length === 0) { // a capture function replaced by hand is replaced back
    // The same capture, now declared by the other side (or again after untrack): the registry says who declares it.
    // It can also leave out other columns by name (an excluded column renamed, and excluded again under its new name):
    // the registry lists those excluded now, and forgets those the table no longer has. One statement, run by every
    // install (an application's start-up) for every table, writing only what differs.
    await client.query(
      `UPDATE ${s}.tracked_table t SET declared_by = $4, excluded = e.names
       FROM (SELECT coalesce(array_agg(name ORDER BY first), '{}') AS names FROM (
         SELECT name, min(i) AS first FROM unnest($2::text[] || (SELECT excluded FROM ${s}.tracked_table WHERE table_name = $1)) WITH ORDINALITY AS x(name, i)
         WHERE name = ANY ($2::text[]) OR EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = to_regclass($3) AND a.attname = x.name AND a.attnum > 0 AND NOT a.attisdropped)
         GROUP BY name) n) e
       WHERE t.table_name = $1 AND (t.excluded IS DISTINCT FROM e.names OR t.declared_by IS DISTINCT FROM $4)`,
      [tableName, spec.exclude, qualified(spec.schema, spec.table), declaredBy],
    );
    return false;
  }
  for (const statement of ddl.statements) {
    try {
      await client.query(statement);
    } catch (error) {
      throw new InstallStatementError(`Rowtrail: installing history capture for table ${tableName}`, statement, error);
    }
  }
  await client.query(
    `INSERT INTO ${s}.tracked_table (table_name, snapshot_table, primary_key, columns, excluded, ignored, ddl_hash, declared_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (table_name) DO UPDATE SET snapshot_table = EXCLUDED.snapshot_table, primary_key = EXCLUDED.primary_key,
       columns = EXCLUDED.columns, excluded = EXCLUDED.excluded, ignored = EXCLUDED.ignored, ddl_hash = EXCLUDED.ddl_hash,
       declared_by = EXCLUDED.declared_by, installed_at = clock_timestamp()`,
    [
      tableName, ddl.snapshotTable, spec.primaryKey,
      JSON.stringify(spec.columns.filter((c) => !spec.exclude.includes(c.name))),
      spec.exclude, spec.ignoreChanges, ddl.hash, declaredBy,
    ],
  );
  return true;
}

/**
 * Installs Rowtrail: the core schema from sql/, then history capture for each tracked table.
 * Idempotent, one transaction, safe when several processes install at once.
 */
export async function install(db: Queryable, tables: TrackedTableSpec[] = [], options: InstallOptions = {}): Promise<InstallResult> {
  requireSchemaOptions(options, 'install', { protections: PROTECTIONS_KIND });
  return installDeclared(db, tables, options, 'application');
}

/** install(), recording who declares the tables (`rowtrail install --table`: the catalog). */
export async function installDeclared(
  db: Queryable, tables: TrackedTableSpec[], options: InstallOptions, declaredBy: TableDeclaration,
  /** Completes the specs from the registry as it is under the install lock (`install --table` keeps earlier exclusions). */
  settle?: (client: pg.ClientBase, registry: ReadonlyMap<string, RegistryRow>) => Promise<void>,
): Promise<InstallResult> {
  const resolved = resolveSchemaOptions(options);
  return retryingLockConflicts(db, () => inTransaction(db, async (client) => {
    await assertSupportedServer(client);
    await lockInstall(client, resolved.schema);
    const core = await applyCoreMigrations(client, resolved.schema);
    if (core.later !== undefined) {
      process.emitWarning(`Rowtrail: schema "${resolved.schema}" has core version ${core.later}, installed by a later release of Rowtrail than this one `
        + `(version ${core.version}): this install changed nothing, so as not to write this release's capture and protection functions `
        + 'over the later ones. Upgrade this application\'s @rowtrail/server (during a rolling deploy, the instances already upgraded have installed).',
      { code: 'ROWTRAIL_LATER_RELEASE' });
      return { appliedMigrations: [], updatedTables: [], version: core.version, updatedProtections: [], renamedTables: [], restoredFunctions: [], laterRelease: core.later };
    }
    const updatedTables: string[] = [];
    assertDistinctHistoryTables(tables, resolved);
    assertUnambiguousTableNames(options.protections ?? [], 'protect');
    await lockTrackedTables(client, tables);
    const renamedTables: { from: string; to: string }[] = [];
    const replacedProtectionFunctions: string[] = []; // those named after a renamed table's old name
    const declared = new Set(tables.map((t) => `${t.schema}.${t.table}`));
    // read once: a row this loop moves is then run by no other table, so no later table is taken for it
    const registry = await registryRows(client, resolved.schema);
    await settle?.(client, registry);
    await refuseUnrecordedSoftDeletes(client, resolved.schema, tables, options.protections ?? [], registry);
    for (const spec of await withoutVirtualColumns(client, tables)) {
      // renamed since its install: its registry row and history table move to the new name before the table is
      // checked (its history is its own) and its capture rebuilt; a check failing below undoes the move with the rest
      const renamed = await renamedTableSource(client, spec, resolved, declared, registry);
      let dropOldFunctions: string[] = [];
      if (renamed) {
        await assertRenameTargetFree(client, renamed, resolved.schema);
        const ddl = renamedTableDdl(resolved.schema, renamed);
        for (const statement of ddl.adopt) await client.query(statement);
        dropOldFunctions = ddl.dropOldFunctions;
        renamedTables.push({ from: renamed.from, to: renamed.to });
        replacedProtectionFunctions.push(...await protectionFunctionsOf(client, qualified(spec.schema, spec.table), resolved.schema));
      }
      await assertTrackableTable(client, spec, resolved);
      await reconcileRetypedColumns(client, spec, resolved); // retyped columns: keep old values readable
      if (await installCapture(client, spec, resolved, declaredBy)) updatedTables.push(`${spec.schema}.${spec.table}`);
      for (const statement of dropOldFunctions) await client.query(statement);
      // also when the capture is unchanged: a column no entity maps may have been added to the table since
      await client.query(recordUnrecordedColumnsSql(resolved.schema, spec));
      await installHistoryAppendOnly(client, resolved.schema, resolved.snapshotTableName(spec));
    }
    // rowtrail.event lists every registered history table (a no-op when it already does)
    await client.query(`SELECT ${quoteIdent(resolved.schema)}.refresh_event_view()`);
    const updatedProtections = await installProtections(client, options.protections ?? [], resolved.schema);
    // a renamed table's protections now run functions named after its new name: those of its old name go
    for (const statement of dropUnusedFunctions(replacedProtectionFunctions)) await client.query(statement);
    // which tables this application declares together: another application's status and prune leave them alone
    // (install --table's tables are never counted as undeclared, and get no row)
    const declaredTables = declaredBy === 'application' ? declaredTableNames(tables, options.protections ?? []) : [];
    if (declaredTables.length > 0) await client.query(recordDeclarationsSql(resolved.schema, declaredTables));
    if (renamedTables.length > 0) {
      await client.query(`DELETE FROM ${quoteIdent(resolved.schema)}.declaration WHERE table_name = ANY ($1::text[])`, [renamedTables.map((r) => r.from)]);
    }
    return { appliedMigrations: core.applied, updatedTables, version: core.version, updatedProtections, renamedTables, restoredFunctions: core.restored };
  }));
}
