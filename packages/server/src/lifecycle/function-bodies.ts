import type pg from 'pg';

const CREATE_FUNCTION = /^CREATE OR REPLACE FUNCTION (.+?\(\)) RETURNS [\s\S]*? AS (\$[A-Za-z0-9_]*\$)([\s\S]*)\2$/;

/**
 * The body (pg_proc.prosrc, which PostgreSQL keeps verbatim) each `CREATE OR REPLACE FUNCTION … AS
 * $tag$…$tag$` statement gives its function, by signature as written there ("schema"."name"()).
 */
export function generatedFunctionBodies(statements: string[]): Map<string, string> {
  const bodies = new Map<string, string>();
  for (const statement of statements) {
    const match = CREATE_FUNCTION.exec(statement);
    if (match) bodies.set(match[1], match[3]);
  }
  return bodies;
}

/**
 * Functions whose body in the database is no longer the one Rowtrail generated (replaced by hand with
 * CREATE OR REPLACE FUNCTION, which keeps the hash comment and the triggers). Absent functions are not
 * listed: the callers report missing objects already.
 */
export async function changedFunctions(client: pg.ClientBase, statements: string[]): Promise<string[]> {
  const bodies = generatedFunctionBodies(statements);
  if (bodies.size === 0) return [];
  const { rows } = await client.query<{ signature: string }>(
    `SELECT f.signature FROM unnest($1::text[], $2::text[]) AS f(signature, body)
     JOIN pg_proc p ON p.oid = to_regprocedure(f.signature)
     WHERE p.prosrc IS DISTINCT FROM f.body ORDER BY 1`,
    [[...bodies.keys()], [...bodies.values()]],
  );
  return rows.map((r) => r.signature);
}

/** A status detail naming the functions changed since install and the table whose triggers run them. */
export function changedFunctionsDetail(table: string, changed: string[]): string | undefined {
  if (changed.length === 0) return undefined;
  return `function ${changed.join(', ')} (run by triggers on ${table}) differs from the one Rowtrail generated: `
    + 'install (or a generated migration) replaces it';
}
