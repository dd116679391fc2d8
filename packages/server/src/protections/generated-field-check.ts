import type pg from 'pg';
import { qualified } from '../ddl/quote.js';
import type { ProtectedTableSpec, ProtectionSpec } from './protection-spec.js';

const KIND_NAMES = { read_only: 'read-only', fsm: 'FSM', versioned: 'versioned' } as const;

/**
 * Refuses a read-only, FSM or versioned protection whose field is a generated column (GENERATED ALWAYS AS …, stored, or
 * virtual as PostgreSQL 18 makes one unless it says STORED), before anything is installed. PostgreSQL computes such a
 * column and no UPDATE sets it, and it refuses a BEFORE trigger's WHEN that reads NEW's generated columns with an error
 * that names neither the protection nor what to do. Identity columns are not generated columns and pass. A table or
 * field that does not exist passes too: the protection's own statements report it.
 */
export async function refuseGeneratedFields(client: pg.ClientBase, specs: ProtectedTableSpec[]): Promise<void> {
  for (const spec of specs) {
    const watched = spec.protections.flatMap((p): Array<{ p: ProtectionSpec; field: string }> =>
      p.kind === 'read_only' ? p.fields.map((field) => ({ p, field })) : p.kind === 'fsm' || p.kind === 'versioned' ? [{ p, field: p.field }] : []);
    if (watched.length === 0) continue;
    const { rows } = await client.query<{ name: string; generated: string }>(
      `SELECT a.attname AS name, a.attgenerated AS generated FROM pg_catalog.pg_attribute a
       WHERE a.attrelid = to_regclass($1) AND a.attname = ANY ($2::text[]) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated <> ''`,
      [qualified(spec.schema, spec.table), watched.map((w) => w.field)],
    );
    const generated = new Map(rows.map((r) => [r.name, r.generated === 'v' ? 'virtual' : 'stored']));
    const refused = watched.find((w) => generated.has(w.field));
    if (!refused) continue;
    const kind = KIND_NAMES[refused.p.kind as keyof typeof KIND_NAMES];
    throw new Error(`Rowtrail: ${kind} protection "${refused.p.name}" cannot be installed on table ${spec.schema}.${spec.table}: its field ${refused.field} is a generated column (${generated.get(refused.field)}), which PostgreSQL computes and no UPDATE sets. Protect the columns it is computed from`);
  }
}
