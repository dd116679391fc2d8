import type pg from 'pg';
import { qualified, quoteIdent } from '../ddl/quote.js';
import { textLiteral } from './sql-literals.js';

/**
 * Statements that recreate triggers of a table as they are in the database now
 * (with the functions they run that live in the Rowtrail schema, except the
 * shared ones from sql/), so a migration's down can restore what its up replaced.
 */
export async function previousDefinitions(client: pg.ClientBase, schema: string, table: string, triggers: string[], rowtrailSchema: string): Promise<string[]> {
  const { rows } = await client.query<{ tgname: string; triggerdef: string; trigger_comment: string | null; functiondef: string | null; function_comment: string | null; signature: string | null }>(
    `SELECT t.tgname, pg_get_triggerdef(t.oid) AS triggerdef, obj_description(t.oid, 'pg_trigger') AS trigger_comment,
       CASE WHEN n.nspname = $3 AND p.proname NOT IN ('protect', 'refuse_history_change', 'refuse_read_only_change') THEN pg_get_functiondef(p.oid) END AS functiondef,
       CASE WHEN n.nspname = $3 THEN obj_description(p.oid, 'pg_proc') END AS function_comment,
       CASE WHEN n.nspname = $3 THEN quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '()' END AS signature
     FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE t.tgrelid = to_regclass($1) AND t.tgname = ANY($2::text[]) ORDER BY t.tgname`,
    [qualified(schema, table), triggers, rowtrailSchema],
  );
  const functions = new Map<string, string[]>();
  for (const r of rows) {
    if (!r.functiondef || !r.signature || functions.has(r.signature)) continue;
    functions.set(r.signature, [r.functiondef, ...(r.function_comment ? [`COMMENT ON FUNCTION ${r.signature} IS ${textLiteral(r.function_comment)}`] : [])]);
  }
  return [
    ...[...functions.values()].flat(),
    ...rows.flatMap((r) => [
      r.triggerdef,
      ...(r.trigger_comment ? [`COMMENT ON TRIGGER ${quoteIdent(r.tgname)} ON ${qualified(schema, table)} IS ${textLiteral(r.trigger_comment)}`] : []),
    ]),
  ];
}
