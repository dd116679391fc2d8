import type pg from 'pg';
import { ANY_CAPTURE_TRIGGER_NAMES, CAPTURE_FUNCTION_SUFFIXES } from '../ddl/capture-ddl.js';
import { identifierName } from '../ddl/identifier-name.js';
import { qualified, quoteIdent } from '../ddl/quote.js';
import type { RenamedTable } from '../ddl/renamed-table-ddl.js';
import type { RowtrailSchemaOptions, TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { registryRows, type RegistryRow } from '../lifecycle/registry-rows.js';

/**
 * The registered table a table to track was called before, when it was renamed since its install: its capture
 * triggers (which PostgreSQL keeps with the table through a rename) run the capture functions of a registered table
 * that is not declared under its old name as well, and no other table runs them. Undefined otherwise. A partition's
 * clones of its parent's triggers are not evidence (they run the parent's capture).
 */
export async function renamedTableSource(
  client: pg.ClientBase | pg.Pool, spec: Pick<TrackedTableSpec, 'schema' | 'table'>, options: RowtrailSchemaOptions, declared: ReadonlySet<string>,
  registry?: ReadonlyMap<string, RegistryRow>,
): Promise<RenamedTable | undefined> {
  const to = `${spec.schema}.${spec.table}`;
  registry ??= await registryRows(client, options.schema);
  if (registry.size === 0) return undefined;
  const { rows } = await client.query<{ name: string }>(
    `SELECT DISTINCT p.proname AS name FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE t.tgrelid = to_regclass($1) AND t.tgparentid = 0 AND t.tgname = ANY($2::text[]) AND n.nspname = $3`,
    [qualified(spec.schema, spec.table), ANY_CAPTURE_TRIGGER_NAMES, options.schema],
  );
  const running = new Set(rows.map((r) => r.name));
  if (running.size === 0) return undefined;
  const candidate = [...registry.values()].find((r) => r.declared_by !== null && !declared.has(r.table_name)
    && CAPTURE_FUNCTION_SUFFIXES.some((suffix) => running.has(identifierName(r.snapshot_table, suffix))));
  // and only this table runs it: a table re-created under the old name and tracked again runs it too (its history
  // stays that table's; this one's triggers are leftovers status reports orphaned)
  const source = candidate && await renamedTableTarget(client, candidate, options.schema) === to ? candidate : undefined;
  if (!source) return undefined;
  return { from: source.table_name, to, fromHistory: source.snapshot_table, toHistory: options.snapshotTableName(spec), primaryKey: source.primary_key };
}

/**
 * What a registered table is called now, when it was renamed since its install: the table whose triggers run its
 * capture functions (not the partitions' clones of them). Undefined when no table does, or the old name's still does.
 */
export async function renamedTableTarget(client: pg.ClientBase | pg.Pool, registered: Pick<RegistryRow, 'table_name' | 'snapshot_table'>, rowtrailSchema: string): Promise<string | undefined> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT DISTINCT n.nspname || '.' || c.relname AS name FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
       JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE p.pronamespace = to_regnamespace($1) AND p.proname = ANY($2::text[]) AND t.tgparentid = 0 AND NOT t.tgisinternal`,
    [quoteIdent(rowtrailSchema), CAPTURE_FUNCTION_SUFFIXES.map((suffix) => identifierName(registered.snapshot_table, suffix))],
  );
  return rows.length === 1 && rows[0].name !== registered.table_name ? rows[0].name : undefined;
}

/**
 * Refuses to move a renamed table's history onto a name that already has one: the registry's row of an earlier table
 * of the new name (dropped since, its history kept), or a history table of that name. Rowtrail keeps one history per
 * table name, and merging them would mix two tables' records.
 */
export async function assertRenameTargetFree(client: pg.ClientBase, renamed: RenamedTable, rowtrailSchema: string): Promise<void> {
  const refused = (why: string, remedy: string) => new Error(`Rowtrail: table ${renamed.to} was renamed from ${renamed.from} (it still runs that table's history capture), `
    + `but its history cannot move to the new name: ${why}. Nothing was changed. Rename the table back, or ${remedy} (docs/lifecycle.md, "Renaming a tracked table").`);
  const { rows: [registered] } = await client.query(`SELECT FROM ${qualified(rowtrailSchema, 'tracked_table')} WHERE table_name = $1`, [renamed.to]);
  if (registered) {
    throw refused(`the registry already holds the history of an earlier table ${renamed.to}`,
      `drop that history first if it is not wanted (rowtrail untrack ${renamed.to} --drop-history --yes: it removes only that history and the capture it ran)`);
  }
  if (renamed.fromHistory === renamed.toHistory) return;
  if ((await client.query(`SELECT to_regclass($1) IS NOT NULL AS taken`, [qualified(rowtrailSchema, renamed.toHistory)])).rows[0].taken) {
    throw refused(`its history table would be ${rowtrailSchema}.${renamed.toHistory}, a name another table has already`,
      'give its history another name with the snapshotTableName option of install() or installTracked(), or drop that table first if it is not wanted');
  }
}
