import type pg from 'pg';
import { decodeCursor, pageLimit, type Page } from './event-cursor.js';
import { eventColumns, EXACT_CODEC, toEventPage, type EventRow, type JsonCodec } from './event-rows.js';
import { historyEventJson, historyFrom, SqlParams } from './event-sql.js';
import type { HistoryEvent } from './event-types.js';
import { invalidParameter } from './query-errors.js';
import { snapshotKeyCondition } from './record-match.js';
import { loadRegistry, requireTable, schemaOf, type QueryOptions } from './tracked-table-registry.js';

export interface RecordHistoryOptions extends QueryOptions {
  /** "desc" (newest first, default) or "asc". */
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string | null;
}

/**
 * Every version of one record (events whose record key is the given key), each
 * with snapshot, diff and context. An update that changed the key appears under
 * the new key with oldRecordKey set.
 */
export function recordHistory(pool: pg.Pool, table: string, key: Record<string, unknown>, options: RecordHistoryOptions = {}): Promise<Page<HistoryEvent>> {
  return recordHistoryWith(EXACT_CODEC, pool, table, key, options);
}

/** recordHistory with events decoded by a codec (the HTTP API keeps PostgreSQL's JSON text). */
export async function recordHistoryWith<E>(codec: JsonCodec<E>, pool: pg.Pool, table: string, key: Record<string, unknown>, options: RecordHistoryOptions = {}): Promise<Page<E>> {
  const schema = schemaOf(options);
  const order = options.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidParameter('order', `must be "asc" or "desc", got ${JSON.stringify(order)}`);
  const limit = pageLimit(options.limit);
  const after = decodeCursor(options.cursor);
  const registered = requireTable(await loadRegistry(pool, options, [table]), table);
  const params = new SqlParams();
  // Through the snapshot table's key index, which yields the record's events in event order.
  const where = [snapshotKeyCondition('s', registered, key, params)];
  if (after !== undefined) where.push(`d.event_id ${order === 'desc' ? '<' : '>'} ${params.add(after, '::bigint')}`);
  const { rows } = await pool.query<EventRow>(
    `SELECT ${eventColumns(historyEventJson(schema, registered))} FROM ${historyFrom(schema, registered)}
     WHERE ${where.join(' AND ')} ORDER BY d.event_id ${order === 'desc' ? 'DESC' : 'ASC'} LIMIT ${limit + 1}`,
    params.values,
  );
  return toEventPage(rows, limit, codec);
}
