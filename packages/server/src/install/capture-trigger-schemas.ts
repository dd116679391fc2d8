import type pg from 'pg';
import { CAPTURE_TRIGGER_NAMES } from '../ddl/capture-ddl.js';

/**
 * The schema of the function each capture trigger of a table runs, one entry per trigger present. Capture
 * triggers have fixed names, so a schema other than an installation's own means another Rowtrail
 * installation captures the table. `table` is a qualified, quoted name.
 */
export async function captureTriggerSchemas(client: pg.ClientBase, table: string): Promise<string[]> {
  const { rows } = await client.query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE t.tgrelid = to_regclass($1) AND t.tgname = ANY($2::text[])`,
    [table, Object.values(CAPTURE_TRIGGER_NAMES)],
  );
  return rows.map((r) => r.schema);
}

/** The schemas other than `own` among captureTriggerSchemas(), each once, sorted. */
export const otherSchemas = (schemas: string[], own: string): string[] => [...new Set(schemas.filter((s) => s !== own))].sort();
