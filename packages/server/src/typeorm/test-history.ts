import type pg from 'pg';

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
     FROM rowtrail.diff d
     LEFT JOIN LATERAL (SELECT * FROM rowtrail.context c0 WHERE c0.id = d.context_id ORDER BY c0.created_at LIMIT 1) c ON true
     WHERE d.event_id > $1 ORDER BY d.event_id`,
    [afterEventId],
  );
  return rows;
}

export async function lastEventId(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query(`SELECT coalesce(max(event_id), 0)::text AS id FROM rowtrail.diff`);
  return rows[0].id;
}
