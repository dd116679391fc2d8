import { tableKey, type GeneratedColumns } from './generated-columns.js';
import type { ProtectedTableSpec } from './protection-spec.js';

/**
 * The specs, each with a versioned protection and `columns` marked with the table's generated columns (read by
 * readGeneratedColumns()). A versioned field's increment compares whole rows in its trigger's WHEN when the table has no
 * generated column (PostgreSQL refuses a BEFORE trigger's WHEN that reads NEW's), and otherwise in its function; a
 * spec's `columns` may list only some columns (the types of the fields it protects, or the columns a TypeORM entity
 * maps), so whether the table has one is read from the catalog: listed ones are marked, unlisted ones added. A spec
 * without `columns` (its function compares the row) is left as it is, and so is one whose table does not exist (the
 * install then fails naming it). The install, status and generated migrations all build from these specs.
 */
export function withGeneratedColumns(specs: ProtectedTableSpec[], generated: GeneratedColumns): ProtectedTableSpec[] {
  return specs.map((spec) => {
    if (!spec.columns || !spec.protections.some((p) => p.kind === 'versioned')) return spec;
    const rows = generated.get(tableKey(spec)) ?? [];
    const names = new Set(rows.map((r) => r.name));
    const listed = new Set(spec.columns.map((c) => c.name));
    const columns = [
      ...spec.columns.map((c) => (names.has(c.name) && !c.generated ? { ...c, generated: true } : c)),
      ...rows.filter((r) => !listed.has(r.name)).map((r) => ({ name: r.name, type: r.type, generated: true })),
    ];
    return { ...spec, columns };
  });
}
