import type pg from 'pg';
import { requireTime } from './iso-time.js';
import { eventColumns, EXACT_CODEC, type EventRow, type JsonCodec } from './event-rows.js';
import { historyEventJson, historyFrom, SqlParams } from './event-sql.js';
import type { HistoryEvent } from './event-types.js';
import { isZonedTime } from './column-type.js';
import { sameKeyChangeStatement } from './key-change-statement.js';
import { castRecordKey } from './record-key-cast.js';
import { snapshotKeyCondition } from './record-match.js';
import { loadRegistry, requireTable, schemaOf, type QueryOptions, type RegisteredTable } from './tracked-table-registry.js';
import { qualified, quoteLiteral } from '../ddl/quote.js';

export interface RecordState<E = HistoryEvent> {
  /** False when the record had no version yet, its last version was a DELETE, or its key changed to another since. */
  exists: boolean;
  /**
   * The last version at or before the instant (the DELETE itself when deleted), or null. When the record's key
   * changed away from this key since that version, the key change: an event of the record under its new key
   * (recordKey), whose oldRecordKey is this key.
   */
  event: E | null;
}

/**
 * History rows whose old key is `key` (a jsonb parameter). Keys are compared as jsonb, through the partial index on the
 * old key, except a timestamptz key column: its jsonb text is written in the writer's session time zone, so the same
 * instant written by sessions in two zones has two texts (an insert in Asia/Tokyo, its key change in UTC), and it is
 * compared as a time, over the table's key changes only (that index holds nothing else).
 */
function oldKeyCondition(table: RegisteredTable, key: string): string {
  const zoned = (name: string) => isZonedTime(table.columns.find((c) => c.name === name)?.type ?? '');
  if (!table.primaryKey.some(zoned)) return `s.rowtrail_old_record_key = ${key}`;
  return ['s.rowtrail_old_record_key IS NOT NULL', ...table.primaryKey.map((name) => {
    const field = quoteLiteral(name);
    return zoned(name)
      ? `(s.rowtrail_old_record_key ->> ${field})::timestamptz = (${key} ->> ${field})::timestamptz`
      : `s.rowtrail_old_record_key -> ${field} = ${key} -> ${field}`;
  })].join(' AND ');
}

/** A record's state as of an instant. */
export function recordStateAt(pool: pg.Pool, table: string, key: Record<string, unknown>, at: Date | string, options: QueryOptions = {}): Promise<RecordState> {
  return recordStateAtWith(EXACT_CODEC, pool, table, key, at, options);
}

/** recordStateAt with the event decoded by a codec (the HTTP API keeps PostgreSQL's JSON text). */
export async function recordStateAtWith<E>(codec: JsonCodec<E>, pool: pg.Pool, table: string, givenKey: Record<string, unknown>, at: Date | string, options: QueryOptions = {}): Promise<RecordState<E>> {
  const schema = schemaOf(options);
  const instant = requireTime(at, 'at');
  const registered = requireTable(await loadRegistry(pool, options, [table]), table);
  const key = await castRecordKey(pool, schema, registered, givenKey);
  const params = new SqlParams();
  const { rows } = await pool.query<EventRow & { operation: string }>(
    `SELECT ${eventColumns(historyEventJson(schema, registered))}, d.operation FROM ${historyFrom(schema, registered)}
     WHERE ${snapshotKeyCondition('s', registered, key, params)}
       AND d.created_at <= ${params.add(instant, '::timestamptz')}
     ORDER BY d.event_id DESC LIMIT 1`,
    params.values,
  );
  const row = rows[0];
  if (row === undefined || row.operation === 'DELETE') return { exists: false, event: row ? codec.event(row) : null };
  // A key change is recorded under the new key: the record left this key if one names it as its old key later on.
  // Not a key change of a statement that also brought a row to this key (two rows swapping keys: each leaves its key
  // and arrives at the other's, in either order), looked for among all key changes to it: the record's last version
  // may be a later event (an update by a trigger's nested statement, say).
  const moved = new SqlParams();
  const { rows: [keyChange] } = await pool.query<EventRow>(
    `SELECT ${eventColumns(historyEventJson(schema, registered))} FROM ${historyFrom(schema, registered)}
     WHERE ${oldKeyCondition(registered, moved.add(row.record_key, '::jsonb'))}
       AND s.rowtrail_event_id > ${moved.add(row.event_id)} AND s.rowtrail_created_at <= ${moved.add(instant, '::timestamptz')}
       AND NOT EXISTS (SELECT 1 FROM ${qualified(schema, registered.snapshotTable)} a WHERE ${snapshotKeyCondition('a', registered, key, moved)}
         AND a.rowtrail_old_record_key IS NOT NULL AND ${sameKeyChangeStatement('a', 's', registered.keyChangeStatements)})
     ORDER BY s.rowtrail_event_id DESC LIMIT 1`,
    moved.values,
  );
  return keyChange ? { exists: false, event: codec.event(keyChange) } : { exists: true, event: codec.event(row) };
}
