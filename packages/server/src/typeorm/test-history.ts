import type pg from 'pg';
import { contextRow } from '../query/event-sql.js';

export interface HistoryRow {
  event_id: string;
  table_name: string;
  record_key: Record<string, unknown>;
  old_record_key: Record<string, unknown> | null;
  operation: string;
  changes: Record<string, unknown>;
  metadata: Record<string, unknown> | null;
  db_user: string;
  application_name: string | null;
  txid: string;
}

/** Diff rows after `afterEventId`, with their context, in event order. */
export async function historySince(pool: pg.Pool, afterEventId = '0'): Promise<HistoryRow[]> {
  const { rows } = await pool.query<HistoryRow>(
    `SELECT d.event_id, d.table_name, d.record_key, d.old_record_key, d.operation, d.changes, c.metadata, c.db_user, c.application_name, d.txid
     FROM rowtrail.event d
     LEFT JOIN LATERAL ${contextRow('rowtrail', 'd.context_id')} c ON true
     WHERE d.event_id > $1 ORDER BY d.event_id`,
    [afterEventId],
  );
  return rows;
}

export async function lastEventId(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query(`SELECT coalesce(max(event_id), 0)::text AS id FROM rowtrail.event`);
  return rows[0].id;
}

/**
 * Checks that every diff row after `afterEventId` has exactly one snapshot row
 * with the same event, operation, key and context, holding the row version the
 * diff describes: the new row for INSERT and UPDATE, the old row for DELETE.
 * Returns a list of problems (empty when all agree).
 */
export async function snapshotMismatches(pool: pg.Pool, afterEventId: string): Promise<string[]> {
  const { rows: tables } = await pool.query<{ table_name: string; snapshot_table: string }>(`SELECT table_name, snapshot_table FROM rowtrail.tracked_table`);
  const problems: string[] = [];
  for (const { table_name, snapshot_table } of tables) {
    const { rows } = await pool.query(
      `SELECT d.event_id, d.operation, d.changes, d.record_key, d.context_id,
              (SELECT count(*)::int FROM rowtrail."${snapshot_table}" s WHERE s.rowtrail_event_id = d.event_id) AS copies,
              (SELECT rowtrail.json_as_jsonb(to_json(s.*)) FROM rowtrail."${snapshot_table}" s WHERE s.rowtrail_event_id = d.event_id LIMIT 1) AS snapshot
       FROM rowtrail.event d WHERE d.table_name = $1 AND d.event_id > $2`,
      [table_name, afterEventId],
    );
    for (const r of rows) {
      const s = r.snapshot as Record<string, unknown> | null;
      const where = `${table_name} event ${r.event_id}`;
      if (r.copies !== 1 || !s) { problems.push(`${where}: ${r.copies} snapshot rows`); continue; }
      if (s.rowtrail_operation !== r.operation) problems.push(`${where}: operation ${String(s.rowtrail_operation)}`);
      if (JSON.stringify(s.rowtrail_record_key) !== JSON.stringify(r.record_key)) problems.push(`${where}: record key`);
      if (s.rowtrail_context_id !== r.context_id) problems.push(`${where}: context`);
      for (const [column, value] of Object.entries(r.changes as Record<string, unknown>)) {
        const expected = r.operation === 'UPDATE' ? (value as unknown[])[1] : value;
        if (JSON.stringify(s[column]) !== JSON.stringify(expected)) problems.push(`${where}: ${column} is ${JSON.stringify(s[column])}, diff says ${JSON.stringify(expected)}`);
      }
    }
  }
  return problems;
}
