import type pg from 'pg';

/**
 * Every history table in a Rowtrail schema, whether or not a tracked_table row names it: tables with the history
 * meta columns (no core table has them). A generated migration's down leaves the history table it created behind
 * without its registry row (history is never dropped by down).
 */
export async function historyTablesInSchema(client: pg.ClientBase, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'r'
       AND (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND NOT a.attisdropped
            AND a.attname IN ('rowtrail_event_id', 'rowtrail_operation', 'rowtrail_record_key')) = 3
     ORDER BY 1`,
    [schema],
  );
  return rows.map((r) => r.name);
}
