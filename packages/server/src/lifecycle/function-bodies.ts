import type pg from 'pg';

const CREATE_FUNCTION = /^CREATE OR REPLACE FUNCTION (.+?\(\)) RETURNS ([\s\S]*?) AS (\$[A-Za-z0-9_]*\$)([\s\S]*)\3$/;
// a SET clause as the generators write it: a name (quoted keeps its case) and a word or a quoted string
const SET_CLAUSE = /\sSET\s+(?:"([^"]+)"|([A-Za-z_][A-Za-z0-9_.]*))\s*=\s*(?:'((?:[^']|'')*)'|([^\s']+))/g;

export interface GeneratedFunction {
  /** pg_proc.prosrc, which PostgreSQL keeps verbatim. */
  body: string;
  /** The function's SET clauses as "name=value" (name in lower case), in their order; null without any. */
  config: string[] | null;
}

/**
 * What each `CREATE OR REPLACE FUNCTION … AS $tag$…$tag$` statement gives its function, by signature as
 * written there ("schema"."name"()): its body, and its SET clauses as pg_proc.proconfig holds them, but for the
 * names' case (PostgreSQL stores a setting's own spelling, such as DateStyle, however it was written).
 */
export function generatedFunctions(statements: string[]): Map<string, GeneratedFunction> {
  const functions = new Map<string, GeneratedFunction>();
  for (const statement of statements) {
    const match = CREATE_FUNCTION.exec(statement);
    if (!match) continue;
    const config = [...match[2].matchAll(SET_CLAUSE)].map((m) => `${(m[1] ?? m[2]).toLowerCase()}=${m[3] !== undefined ? m[3].replaceAll("''", "'") : m[4]}`);
    functions.set(match[1], { body: match[4], config: config.length > 0 ? config : null });
  }
  return functions;
}

/**
 * Functions whose body or settings in the database are no longer those Rowtrail generated (replaced by hand
 * with CREATE OR REPLACE FUNCTION, which keeps the hash comment and the triggers, or changed with ALTER
 * FUNCTION … SET / RESET: a capture function's pinned output settings decide how values are recorded).
 * Absent functions are not listed: the callers report missing objects already.
 */
export async function changedFunctions(client: pg.ClientBase, statements: string[]): Promise<string[]> {
  const functions = generatedFunctions(statements);
  if (functions.size === 0) return [];
  const { rows } = await client.query<{ signature: string }>(
    `SELECT f.signature FROM unnest($1::text[], $2::text[], $3::text[]) AS f(signature, body, config)
     JOIN pg_proc p ON p.oid = to_regprocedure(f.signature)
     WHERE p.prosrc IS DISTINCT FROM f.body
        OR coalesce((SELECT jsonb_agg(lower(split_part(c, '=', 1)) || substr(c, strpos(c, '=')) ORDER BY n)
                     FROM unnest(p.proconfig) WITH ORDINALITY AS u(c, n)), 'null') IS DISTINCT FROM f.config::jsonb
     ORDER BY 1`,
    [[...functions.keys()], [...functions.values()].map((f) => f.body), [...functions.values()].map((f) => JSON.stringify(f.config))],
  );
  return rows.map((r) => r.signature);
}

/** A status detail naming the functions changed since install and the table whose triggers run them. */
export function changedFunctionsDetail(table: string, changed: string[]): string | undefined {
  if (changed.length === 0) return undefined;
  return `function ${changed.join(', ')} (run by triggers on ${table}) differs from the one Rowtrail generated: `
    + 'install (or a generated migration) replaces it';
}
