import type pg from 'pg';
import { buildHistoryAppendOnlyDdl } from './history-append-only-ddl.js';
import { readGeneratedColumns } from './generated-columns.js';
import { refuseGeneratedFields } from './generated-field-check.js';
import { buildProtectionsDdl } from './protection-ddl.js';
import type { ProtectedTableSpec } from './protection-spec.js';
import { applyTriggerGroup } from './trigger-group-state.js';
import { withGeneratedColumns } from './versioned-columns.js';

/** Installs (or brings up to date) the protections of each table. Returns "schema.table:name" of those that changed. */
export async function installProtections(client: pg.ClientBase, specs: ProtectedTableSpec[], rowtrailSchema: string): Promise<string[]> {
  const changed: string[] = [];
  const generated = await readGeneratedColumns(client, specs);
  refuseGeneratedFields(specs, generated);
  for (const group of buildProtectionsDdl(withGeneratedColumns(specs, generated), rowtrailSchema)) {
    if (await applyTriggerGroup(client, group)) changed.push(`${group.schema}.${group.table}:${group.name}`);
  }
  return changed;
}

/** Makes a snapshot table append-only (idempotent). */
export async function installHistoryAppendOnly(client: pg.ClientBase, rowtrailSchema: string, snapshotTable: string): Promise<boolean> {
  return applyTriggerGroup(client, buildHistoryAppendOnlyDdl(rowtrailSchema, snapshotTable));
}
