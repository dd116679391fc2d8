import { tableKey, type GeneratedColumns } from './generated-columns.js';
import type { ProtectedTableSpec, ProtectionSpec } from './protection-spec.js';

const KIND_NAMES = { read_only: 'read-only', fsm: 'FSM', versioned: 'versioned' } as const;

/**
 * Refuses a read-only, FSM or versioned protection whose field is a generated column (GENERATED ALWAYS AS …, stored, or
 * virtual as PostgreSQL 18 makes one unless it says STORED), before anything is installed. PostgreSQL computes such a
 * column and no UPDATE sets it, and it refuses a BEFORE trigger's WHEN that reads NEW's generated columns with an error
 * that names neither the protection nor what to do. Identity columns are not generated columns and pass. A table or
 * field that does not exist passes too: the protection's own statements report it.
 */
export function refuseGeneratedFields(specs: ProtectedTableSpec[], generated: GeneratedColumns): void {
  for (const spec of specs) {
    const columns = new Map((generated.get(tableKey(spec)) ?? []).map((c) => [c.name, c.virtual ? 'virtual' : 'stored']));
    if (columns.size === 0) continue;
    const watched = spec.protections.flatMap((p): Array<{ p: ProtectionSpec; field: string }> =>
      p.kind === 'read_only' ? p.fields.map((field) => ({ p, field })) : p.kind === 'fsm' || p.kind === 'versioned' ? [{ p, field: p.field }] : []);
    const refused = watched.find((w) => columns.has(w.field));
    if (!refused) continue;
    const kind = KIND_NAMES[refused.p.kind as keyof typeof KIND_NAMES];
    throw new Error(`Rowtrail: ${kind} protection "${refused.p.name}" cannot be installed on table ${spec.schema}.${spec.table}: its field ${refused.field} is a generated column (${columns.get(refused.field)}), which PostgreSQL computes and no UPDATE sets. Protect the columns it is computed from`);
  }
}
