import type pg from 'pg';
import { eventColumns, EXACT_CODEC, type EventRow, type JsonCodec } from './event-rows.js';
import { historyEventJson, historyFrom, SqlParams } from './event-sql.js';
import type { HistoryEvent } from './event-types.js';
import { invalidParameter, notFound } from './query-errors.js';
import { snapshotKeyCondition } from './record-match.js';
import { loadRegistry, requireTable, schemaOf, type QueryOptions } from './tracked-table-registry.js';

export interface VersionComparison<E = HistoryEvent> {
  from: E;
  to: E;
  /** Columns whose value differs: {column: [valueInFrom, valueInTo]}. */
  changes: Record<string, [unknown, unknown]>;
}

const EVENT_ID = /^\d{1,19}$/;

/** The difference between two versions (event ids) of one record. */
export function compareVersions(pool: pg.Pool, table: string, key: Record<string, unknown>, fromEventId: string, toEventId: string, options: QueryOptions = {}): Promise<VersionComparison> {
  return compareVersionsWith(EXACT_CODEC, pool, table, key, fromEventId, toEventId, options) as Promise<VersionComparison>;
}

/**
 * compareVersions with events and changes decoded by a codec (the HTTP API keeps PostgreSQL's JSON text).
 * The changes are computed in SQL on the jsonb snapshots, so values compare exactly (a missing column equals null).
 */
export async function compareVersionsWith<E>(
  codec: JsonCodec<E>, pool: pg.Pool, table: string, key: Record<string, unknown>, fromEventId: string, toEventId: string, options: QueryOptions = {},
): Promise<{ from: E; to: E; changes: unknown }> {
  const schema = schemaOf(options);
  for (const [parameter, value] of [['from', fromEventId], ['to', toEventId]] as const) {
    if (!EVENT_ID.test(String(value)) || BigInt(value) > 9223372036854775807n) throw invalidParameter(parameter, `must be an event id (a positive integer), got ${JSON.stringify(String(value).slice(0, 40))}`);
  }
  const registered = requireTable(await loadRegistry(pool, options, [table]), table);
  const params = new SqlParams();
  const where = snapshotKeyCondition('s', registered, key, params);
  const fromId = params.add(fromEventId, '::bigint');
  const toId = params.add(toEventId, '::bigint');
  const { rows } = await pool.query<{ side: 'from' | 'to'; changes: string | null } & EventRow>(
    `WITH v AS (
       SELECT d.event_id AS id, ${eventColumns(historyEventJson(schema, registered))}, (${historyEventJson(schema, registered)}) -> 'snapshot' AS snapshot
       FROM ${historyFrom(schema, registered)} WHERE ${where} AND d.event_id IN (${fromId}, ${toId})
     ), pair AS (SELECT f.snapshot AS a, t.snapshot AS b FROM v f, v t WHERE f.id = ${fromId} AND t.id = ${toId})
     SELECT side, event_id, record_key, event,
       CASE WHEN side = 'from' THEN (
         SELECT coalesce(jsonb_object_agg(k, jsonb_build_array(coalesce(a -> k, 'null'), coalesce(b -> k, 'null'))), '{}')::text
         FROM pair, LATERAL (SELECT jsonb_object_keys(a) UNION SELECT jsonb_object_keys(b)) keys(k)
         WHERE coalesce(a -> k, 'null') IS DISTINCT FROM coalesce(b -> k, 'null')) END AS changes
     FROM v, LATERAL (VALUES ('from'), ('to')) s(side)
     WHERE (side = 'from' AND id = ${fromId}) OR (side = 'to' AND id = ${toId})`,
    params.values,
  );
  const find = (side: 'from' | 'to', id: string) => {
    const row = rows.find((r) => r.side === side);
    if (!row) throw notFound(`${side}: event ${id} is not a version of ${registered.table} ${JSON.stringify(key)}`, side);
    return row;
  };
  const from = find('from', fromEventId);
  const to = find('to', toEventId);
  return { from: codec.event(from), to: codec.event(to), changes: codec.value(from.changes ?? '{}') };
}
