import type pg from 'pg';
import type { Page } from '../query/event-cursor.js';
import type { HistoryEvent } from '../query/event-types.js';
import { recordHistory } from '../query/record-history.js';

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

/** Prints the history of one record, newest last (read through the query API). */
export async function printRecordHistory(pool: pg.Pool, table: string, key: Record<string, unknown>, write: (line: string) => void): Promise<void> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<HistoryEvent> = await recordHistory(pool, table, key, { order: 'asc', limit: 500, cursor });
    for (const e of page.events) {
      rows.push({ operation: e.operation, changes: e.changes, created_at: new Date(e.createdAt), metadata: e.context?.metadata ?? null, db_user: e.context?.dbUser ?? null, application_name: e.context?.applicationName ?? null });
    }
    cursor = page.nextCursor;
  } while (cursor);
  write(`${table} ${JSON.stringify(key)}: ${rows.length} version(s)`);
  for (const row of rows) write(describe(row));
}

/** How much history the demo wrote. */
export async function historySummary(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query(`SELECT count(*)::int AS events, count(DISTINCT context_id)::int AS contexts FROM rowtrail.event`);
  return `${rows[0].events} history events across ${rows[0].contexts} requests and transactions`;
}
