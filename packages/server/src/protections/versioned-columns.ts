import type pg from 'pg';
import { qualified } from '../ddl/quote.js';
import type { ProtectedTableSpec } from './protection-spec.js';

/**
 * The specs, each with a versioned protection and `columns` completed from the catalog. A versioned field's increment
 * compares the columns its spec lists (its trigger's WHEN), and `columns` is also how a spec gives the types of just
 * the fields it protects (or how a TypeORM entity lists the columns it maps): a change to any other column of the
 * table did not increment the version. So every column of the table is listed, a listed one keeping its type, and
 * stored generated columns are marked (PostgreSQL refuses a BEFORE trigger's WHEN that reads them). A spec without
 * `columns` compares the whole row in its function and is left as it is, and so is one whose table does not exist
 * (the install then fails naming it). The install, status and generated migrations all build from these specs, so a
 * column added to the table later shows as an outdated protection until the next install.
 */
export async function withTableColumns(client: pg.ClientBase, specs: ProtectedTableSpec[]): Promise<ProtectedTableSpec[]> {
  const completed: ProtectedTableSpec[] = [];
  for (const spec of specs) {
    if (!spec.columns || !spec.protections.some((p) => p.kind === 'versioned')) {
      completed.push(spec);
      continue;
    }
    const { rows } = await client.query<{ name: string; type: string; generated: boolean }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attgenerated <> '' AS generated
       FROM pg_catalog.pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [qualified(spec.schema, spec.table)],
    );
    const generated = new Set(rows.filter((r) => r.generated).map((r) => r.name));
    const listed = new Set(spec.columns.map((c) => c.name));
    const columns = [
      ...spec.columns.map((c) => (generated.has(c.name) && !c.generated ? { ...c, generated: true } : c)),
      ...rows.filter((r) => !listed.has(r.name)).map((r) => ({ name: r.name, type: r.type, ...(r.generated ? { generated: true } : {}) })),
    ];
    completed.push({ ...spec, columns });
  }
  return completed;
}
