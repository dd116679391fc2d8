import type pg from 'pg';
import { buildHistoryAppendOnlyDdl } from './history-append-only-ddl.js';
import { readGeneratedColumns } from './generated-columns.js';
import { refuseGeneratedFields } from './generated-field-check.js';
import { buildProtectionsDdl } from './protection-ddl.js';
import type { ProtectedTableSpec } from './protection-spec.js';
import { applyTriggerGroup } from './trigger-group-state.js';
import { undeclaredProtections } from './undeclared-protections.js';
import { withGeneratedColumns } from './versioned-columns.js';

/**
 * Installs (or brings up to date) the protections of each table, and removes from those tables the protection triggers
 * of protections they no longer declare (renamed or removed). Returns "schema.table:name" of those that changed, and
 * "schema.table:<trigger> (removed)" of those removed.
 */
export async function installProtections(client: pg.ClientBase, specs: ProtectedTableSpec[], rowtrailSchema: string): Promise<string[]> {
  const changed: string[] = [];
  const generated = await readGeneratedColumns(client, specs);
  refuseGeneratedFields(specs, generated);
  const groups = buildProtectionsDdl(withGeneratedColumns(specs, generated), rowtrailSchema);
  for (const group of groups) {
    if (await applyTriggerGroup(client, group)) changed.push(`${group.schema}.${group.table}:${group.name}`);
  }
  for (const gone of await undeclaredProtections(client, groups, rowtrailSchema)) {
    for (const statement of gone.statements) await client.query(statement);
    changed.push(`${gone.schema}.${gone.table}:${gone.trigger} (removed)`);
  }
  return changed;
}

/** Makes a snapshot table append-only (idempotent). */
export async function installHistoryAppendOnly(client: pg.ClientBase, rowtrailSchema: string, snapshotTable: string): Promise<boolean> {
  return applyTriggerGroup(client, buildHistoryAppendOnlyDdl(rowtrailSchema, snapshotTable));
}
