import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import type { ProtectedTableSpec } from './protection-spec.js';

/**
 * Refuses a soft delete whose field the table's history leaves out (`exclude`) or whose changes it ignores
 * (`ignoreChanges`): the UPDATE a soft delete turns a DELETE into would then change nothing history records, and the
 * deletion would leave no event. Pure; install and generated migrations run it before anything else.
 */
export function refuseUnrecordedSoftDeletes(tracked: TrackedTableSpec[], protections: ProtectedTableSpec[]): void {
  for (const spec of protections) {
    const history = tracked.find((t) => t.schema === spec.schema && t.table === spec.table);
    if (!history) continue;
    for (const p of spec.protections) {
      if (p.kind !== 'soft_delete') continue;
      const option = history.exclude.includes(p.field) ? 'exclude' : history.ignoreChanges.includes(p.field) ? 'ignoreChanges' : undefined;
      if (!option) continue;
      const what = option === 'exclude' ? 'leaves out' : 'ignores changes of';
      throw new Error(`Rowtrail: soft delete "${p.name}" on ${spec.schema}.${spec.table} marks deleted rows in column ${p.field}, which the table's history ${what} (${option}): `
        + `a deletion would leave no event in history. Take ${p.field} out of ${option}`);
    }
  }
}
