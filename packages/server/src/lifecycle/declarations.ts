import type pg from 'pg';
import { postgresIdentifier } from '../ddl/identifier-name.js';
import { quoteIdent, quoteLiteral } from '../ddl/quote.js';
import { textArrayLiteral } from './sql-literals.js';

/**
 * The declaration registry (core version 23): for each table an install declared (tracked or protected), the tables
 * declared with it in that install. Status and prune read it to tell the objects of a table the given declarations
 * stopped declaring (orphaned) from those of a table another application, or another DataSource, declares.
 */

type TableName = { schema: string; table: string };

/** "schema.table" of every table the specs declare (tracked or protected), sorted, each once. */
export function declaredTableNames(tracked: readonly TableName[], protections: readonly TableName[]): string[] {
  return [...new Set([...tracked, ...protections].map((t) => `${t.schema}.${t.table}`))].sort();
}

/** table_name → declared_with; empty before core version 23 (or when Rowtrail is not installed). */
export async function declarationRows(db: pg.ClientBase | pg.Pool, schema: string): Promise<Map<string, string[]>> {
  const table = `${quoteIdent(schema)}.declaration`;
  if ((await db.query(`SELECT to_regclass($1) AS r`, [table])).rows[0].r === null) return new Map();
  const { rows } = await db.query<{ table_name: string; declared_with: string[] }>(`SELECT table_name, declared_with FROM ${table}`);
  return new Map(rows.map((r) => [r.table_name, r.declared_with]));
}

/**
 * Records that the tables were declared together: one row each, declared_with all of them. Writes only the rows that
 * differ (every application start installs). Rows of tables not named are left alone: they may be another application's.
 */
export function recordDeclarationsSql(schema: string, names: readonly string[]): string {
  const s = quoteIdent(schema);
  const all = textArrayLiteral([...names]);
  return `INSERT INTO ${s}.declaration AS d (table_name, declared_with) SELECT name, ${all} FROM unnest(${all}) AS name
ON CONFLICT (table_name) DO UPDATE SET declared_with = EXCLUDED.declared_with, installed_at = clock_timestamp()
WHERE d.declared_with IS DISTINCT FROM EXCLUDED.declared_with`;
}

/** Statements putting the rows of these tables back as they were (a generated migration's down): removed where there was none. */
export function restoreDeclarationsSql(schema: string, names: readonly string[], previous: ReadonlyMap<string, string[]>): string[] {
  const s = quoteIdent(schema);
  const none = names.filter((name) => !previous.has(name));
  return [
    ...(none.length > 0 ? [`DELETE FROM ${s}.declaration WHERE table_name = ANY (${textArrayLiteral(none)})`] : []),
    ...names.filter((name) => previous.has(name)).map((name) => `UPDATE ${s}.declaration SET declared_with = ${textArrayLiteral(previous.get(name)!)} WHERE table_name = ${quoteLiteral(name)}`),
  ];
}

/** Whether the rows already say these tables were declared together (nothing for an install or migration to write). */
export function declarationsRecorded(names: readonly string[], rows: ReadonlyMap<string, string[]>): boolean {
  return names.every((name) => {
    const row = rows.get(name);
    return row !== undefined && row.length === names.length && row.every((t, i) => t === names[i]);
  });
}

/**
 * Decides whose an object of an undeclared table is. Given the tables these declarations declare and the registry's
 * rows: for a table another application declares, the tables it was declared with (its objects are not these
 * declarations' to report orphaned or to prune); undefined when the object is these declarations' to prune: the table
 * has no row (installed before core version 23, or its declaring application's objects pruned on purpose), or it was
 * declared with a table these declarations declare (the same application, which stopped declaring it).
 */
export function declaredElsewhere(declared: ReadonlySet<string>, rows: ReadonlyMap<string, string[]>): (table: string) => string[] | undefined {
  // a table declared with a name longer than 63 bytes is known to the catalog by the name PostgreSQL cut it to
  const byName = new Map(rows);
  for (const [name, row] of rows) {
    const dot = name.indexOf('.');
    byName.set(`${postgresIdentifier(name.slice(0, dot))}.${postgresIdentifier(name.slice(dot + 1))}`, row);
  }
  return (table) => {
    const row = byName.get(table);
    return row && !row.some((t) => declared.has(t)) ? row : undefined;
  };
}

/** Detail of an object another application declares: installed, and left alone. */
export const declaredElsewhereDetail = (declaredWith: readonly string[]) =>
  `declared by another application (with ${declaredWith.join(', ')}); not this one's to prune (prune --other-applications removes it, once that application is gone)`;
