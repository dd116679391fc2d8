import type pg from 'pg';
import { decodeCursor, pageLimit, type Page } from './event-cursor.js';
import { eventColumns, EXACT_CODEC, type JsonCodec } from './event-rows.js';
import { historyEventJson, historyFrom, SqlParams } from './event-sql.js';
import type { HistoryEvent } from './event-types.js';
import { invalidParameter } from './query-errors.js';
import { hasKeyChangesAway, movedAwaySelect } from './moved-away.js';
import { pageBytes, readBudgetedPage } from './page-budget.js';
import { castRecordKey } from './record-key-cast.js';
import { snapshotKeyCondition } from './record-match.js';
import { loadRegistry, requireTable, schemaOf, type QueryOptions } from './tracked-table-registry.js';

export interface RecordHistoryOptions extends QueryOptions {
  /** "desc" (newest first, default) or "asc". */
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string | null;
  /**
   * Also list the updates that moved a record's key away from this key (filed under their new key), flagged
   * `movedAway: true`, where they happened: the boundaries between the records that had the key (the HTTP API does).
   */
  movedAway?: boolean;
  /** The most bytes of event JSON a page holds (default PAGE_BYTES, 8 MiB): the page ends early, with a nextCursor. */
  maxPageBytes?: number;
}

/**
 * Every version of one record (events whose record key is the given key), each with snapshot, diff and context. An
 * update that changed the key appears under the new key with oldRecordKey set. With `movedAway`, the updates that moved
 * a record's key away from this key (filed under their new key) are listed too, flagged `movedAway: true`: they are no
 * versions of a record under this key but the boundary between two records that had it (see moved-away.ts for their place).
 */
export function recordHistory(pool: pg.Pool, table: string, key: Record<string, unknown>, options: RecordHistoryOptions = {}): Promise<Page<HistoryEvent>> {
  return recordHistoryWith(EXACT_CODEC, pool, table, key, options);
}

/** recordHistory with events decoded by a codec (the HTTP API keeps PostgreSQL's JSON text). */
export async function recordHistoryWith<E>(codec: JsonCodec<E>, pool: pg.Pool, table: string, givenKey: Record<string, unknown>, options: RecordHistoryOptions = {}): Promise<Page<E>> {
  const schema = schemaOf(options);
  const order = options.order ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw invalidParameter('order', `must be "asc" or "desc", got ${JSON.stringify(order)}`);
  const limit = pageLimit(options.limit);
  const after = decodeCursor(options.cursor);
  const maxBytes = pageBytes(options.maxPageBytes);
  const registered = requireTable(await loadRegistry(pool, options, [table]), table);
  const key = await castRecordKey(pool, schema, registered, givenKey);
  const desc = order === 'desc';
  const direction = desc ? 'DESC' : 'ASC';
  const eventJson = historyEventJson(schema, registered);
  const withMovedAway = options.movedAway === true && await hasKeyChangesAway(pool, schema, registered, key);
  const build = (from: string | undefined, rows: number) => {
    const params = new SqlParams();
    // Through the snapshot table's key index, which yields the record's events in event order.
    const versionWhere = [snapshotKeyCondition('s', registered, key, params)];
    // `position` only where key changes away are merged in (see below)
    const versions = (where: string[], position = '') => `SELECT ${eventColumns(eventJson)}${position} FROM ${historyFrom(schema, registered)}
       WHERE ${where.join(' AND ')} ORDER BY d.event_id ${direction} LIMIT ${rows}`;
    if (!withMovedAway) {
      if (from !== undefined) versionWhere.push(`d.event_id ${desc ? '<' : '>'} ${params.add(from, '::bigint')}`);
      return { text: versions(versionWhere), values: params.values };
    }
    // Versions and key changes away are ordered by position (2 × event id for a version; see moved-away.ts), and the
    // cursor's event stands where its position puts it: a version at 2 × its id, a key change away at its own.
    const moved = movedAwaySelect(schema, registered, key, params);
    const cursor = from === undefined ? undefined : params.add(from, '::bigint');
    const cursorPosition = `(SELECT coalesce((SELECT m.position FROM moved m WHERE m.event_id = ${cursor}), 2 * ${cursor}::numeric))`;
    // the cursor's position as an event id bound for the key index (2 × id < p: id < (p + 1) div 2; 2 × id > p: id > p div 2)
    if (cursor !== undefined) versionWhere.push(`d.event_id ${desc ? '<' : '>'} div(${cursorPosition}${desc ? ' + 1' : ''}, 2)::bigint`);
    const movedWhere = cursor === undefined ? '' : `AND m.position ${desc ? '<' : '>'} ${cursorPosition}`;
    return {
      text: `WITH moved AS (${moved})
       SELECT * FROM (
         (${versions(versionWhere, ', 2 * d.event_id::numeric AS position')})
         UNION ALL
         (SELECT ${eventColumns(`${eventJson} || '{"movedAway": true}'::jsonb`)}, m.position FROM moved m CROSS JOIN ${historyFrom(schema, registered)}
          WHERE s.rowtrail_event_id = m.event_id ${movedWhere} ORDER BY m.position ${direction} LIMIT ${rows})
       ) page ORDER BY position ${direction} LIMIT ${rows}`,
      values: params.values,
    };
  };
  return readBudgetedPage(pool, build, { after, limit, maxBytes }, codec);
}
