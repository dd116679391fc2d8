import type pg from 'pg';
import { HASH_COMMENT_PREFIX } from '../protections/trigger-group.js';
import { dollarQuote } from '../ddl/dollar-quote.js';
import { quoteIdent, quoteLiteral } from '../ddl/quote.js';

/**
 * The generated functions (signatures) a table's protection triggers run: after a rename, those named after its old
 * name, which the protections installed for the new name replace. Rowtrail's shared functions (protect() and the like)
 * carry no hash comment and are never among them. `table` is a qualified, quoted name.
 */
export async function protectionFunctionsOf(client: pg.ClientBase, table: string, rowtrailSchema: string): Promise<string[]> {
  const { rows } = await client.query<{ signature: string }>(
    // trigger functions take no arguments; schema-qualified whatever the search_path
    `SELECT DISTINCT quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '()' AS signature
     FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE t.tgrelid = to_regclass($1) AND NOT t.tgisinternal AND t.tgname LIKE 'rowtrail\\_protect\\_%'
       AND p.pronamespace = to_regnamespace($2) AND starts_with(coalesce(obj_description(p.oid, 'pg_proc'), ''), $3)
     ORDER BY 1`,
    [table, quoteIdent(rowtrailSchema), HASH_COMMENT_PREFIX], // to_regnamespace reads an identifier: quoted
  );
  return rows.map((r) => r.signature);
}

/**
 * A statement that drops each of these functions that no trigger runs any more (and exists): those of a renamed
 * table's protections once the protections of its new name replaced them. One still in use is kept.
 */
export function dropUnusedFunctions(signatures: string[]): string[] {
  if (signatures.length === 0) return [];
  return [`DO ${dollarQuote(`
DECLARE
  f regprocedure;
BEGIN
  FOR f IN SELECT to_regprocedure(s) FROM unnest(ARRAY[${signatures.map(quoteLiteral).join(', ')}]::text[]) AS s WHERE to_regprocedure(s) IS NOT NULL LOOP
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgfoid = f) THEN
      EXECUTE format('DROP FUNCTION %s', f);
    END IF;
  END LOOP;
END
`, 'rowtrail_unused')}`];
}
