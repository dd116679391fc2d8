import type pg from 'pg';
import { requireTime } from './event-filter.js';
import { HISTORY_EVENT_JSON, historyFrom, SqlParams } from './event-sql.js';
import type { HistoryEvent } from './event-types.js';
import { recordKeyJson } from './record-key.js';
import { loadRegistry, requireTable, schemaOf, type QueryOptions } from './tracked-table-registry.js';

export interface RecordState {
  /** False when the record had no version yet, or its last version was a DELETE. */
  exists: boolean;
  /** The last version at or before the instant (the DELETE itself when deleted), or null. */
  event: HistoryEvent | null;
}

/** A record's state as of an instant. */
export async function recordStateAt(pool: pg.Pool, table: string, key: Record<string, unknown>, at: Date | string, options: QueryOptions = {}): Promise<RecordState> {
  const schema = schemaOf(options);
  const instant = requireTime(at, 'at');
  const registered = requireTable(await loadRegistry(pool, options), table);
  const params = new SqlParams();
  const { rows } = await pool.query<{ event: HistoryEvent }>(
    `SELECT ${HISTORY_EVENT_JSON} AS event FROM ${historyFrom(schema, registered.snapshotTable)}
     WHERE d.table_name = ${params.add(registered.table)} AND d.record_key = ${params.add(recordKeyJson(registered, key), '::jsonb')}
       AND d.created_at <= ${params.add(instant, '::timestamptz')}
     ORDER BY d.event_id DESC LIMIT 1`,
    params.values,
  );
  const event = rows[0]?.event ?? null;
  return { exists: event !== null && event.operation !== 'DELETE', event };
}
