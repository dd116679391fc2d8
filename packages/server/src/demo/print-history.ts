import type pg from 'pg';
import { contextRow } from '../query/event-sql.js';

interface Row { operation: string; changes: Record<string, unknown>; created_at: Date; metadata: Record<string, unknown> | null; db_user: string | null; application_name: string | null }

const show = (value: unknown) => (typeof value === 'string' && value.length > 48 ? JSON.stringify(`${value.slice(0, 45)}...`) : JSON.stringify(value));

/** One line per version: when, what, who, and the field-level diff. */
function describe(row: Row): string {
  const m = row.metadata ?? {};
  const who = m.user != null ? `${m.user}` : m.requestId ? 'anonymous' : `${row.db_user} via ${row.application_name ?? 'unknown app'} (no app context)`;
  const where = m.requestId ? ` ${m.method ?? ''} ${m.url ?? ''} [${m.requestId}]` : '';
  const changes = row.operation === 'UPDATE'
    ? Object.entries(row.changes).map(([column, pair]) => `${column}: ${show((pair as unknown[])[0])} → ${show((pair as unknown[])[1])}`).join(', ')
    : Object.keys(row.changes).join(', ');
  const time = row.created_at.toISOString().slice(0, 16).replace('T', ' ');
  return `  ${time}  ${row.operation.padEnd(6)}  ${who}${where}\n      ${changes}`;
}

/** Prints the history of one record, newest last. */
export async function printRecordHistory(pool: pg.Pool, table: string, key: Record<string, unknown>, write: (line: string) => void): Promise<void> {
  const { rows } = await pool.query<Row>(
    `SELECT d.operation, d.changes, d.created_at, c.metadata, c.db_user, c.application_name
       FROM rowtrail.diff d LEFT JOIN LATERAL ${contextRow('rowtrail', 'd.context_id')} c ON true
      WHERE d.table_name = $1 AND d.record_key = $2::jsonb ORDER BY d.event_id`,
    [table, JSON.stringify(key)],
  );
  write(`${table} ${JSON.stringify(key)}: ${rows.length} version(s)`);
  for (const row of rows) write(describe(row));
}

/** How much history the demo wrote. */
export async function historySummary(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query(`SELECT count(*)::int AS events, count(DISTINCT context_id)::int AS contexts FROM rowtrail.diff`);
  return `${rows[0].events} history events across ${rows[0].contexts} requests and transactions`;
}
