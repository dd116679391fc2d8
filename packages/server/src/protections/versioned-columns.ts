import type pg from 'pg';
import { qualified } from '../ddl/quote.js';
import type { ProtectedTableSpec } from './protection-spec.js';

/**
 * The specs, each with a versioned protection and `columns` marked with the table's stored generated columns from
 * the catalog. A versioned field's increment compares whole rows in its trigger's WHEN when the table has no stored
 * generated column (PostgreSQL refuses a BEFORE trigger's WHEN that reads NEW's), and otherwise in its function; a
 * spec's `columns` may list only some columns (the types of the fields it protects, or the columns a TypeORM entity
 * maps), so whether the table has one is read here: listed ones are marked, unlisted ones added. A spec without
 * `columns` (its function compares the row) is left as it is, and so is one whose table does not exist (the install
 * then fails naming it). The install, status and generated migrations all build from these specs.
 */
export async function withGeneratedColumns(client: pg.ClientBase, specs: ProtectedTableSpec[]): Promise<ProtectedTableSpec[]> {
  const marked: ProtectedTableSpec[] = [];
  for (const spec of specs) {
    if (!spec.columns || !spec.protections.some((p) => p.kind === 'versioned')) {
      marked.push(spec);
      continue;
    }
    const { rows } = await client.query<{ name: string; type: string }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_catalog.pg_attribute a
       WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated <> '' ORDER BY a.attnum`,
      [qualified(spec.schema, spec.table)],
    );
    const generated = new Set(rows.map((r) => r.name));
    const listed = new Set(spec.columns.map((c) => c.name));
    const columns = [
      ...spec.columns.map((c) => (generated.has(c.name) && !c.generated ? { ...c, generated: true } : c)),
      ...rows.filter((r) => !listed.has(r.name)).map((r) => ({ name: r.name, type: r.type, generated: true })),
    ];
    marked.push({ ...spec, columns });
  }
  return marked;
}
