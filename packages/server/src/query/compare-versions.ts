import type pg from 'pg';
import { eventColumns, EXACT_CODEC, type EventRow, type JsonCodec } from './event-rows.js';
import { historyEventJson, historyFrom, SqlParams } from './event-sql.js';
import type { HistoryEvent } from './event-types.js';
import { compactJson } from './exact-json.js';
import { invalidParameter, notFound } from './query-errors.js';
import { movedAwaySelect } from './moved-away.js';
import { castRecordKey } from './record-key-cast.js';
import { snapshotKeyCondition } from './record-match.js';
import { loadRegistry, requireTable, schemaOf, type QueryOptions } from './tracked-table-registry.js';

export interface VersionComparison<E = HistoryEvent> {
  from: E;
  to: E;
  /** Columns whose value differs: {column: [valueInFrom, valueInTo]}. */
  changes: Record<string, [unknown, unknown]>;
}

const EVENT_ID = /^\d{1,19}$/;

/** 404 for two versions on the two sides of a key change away from the key: possibly of two records (or one come back). */
function differentRecords(table: string, key: Record<string, unknown>, [fromId, toId]: [string, string], movedBetween: string) {
  // "<event id> <new key as jsonb text>"
  const [movedId, newKey] = [movedBetween.slice(0, movedBetween.indexOf(' ')), movedBetween.slice(movedBetween.indexOf(' ') + 1)];
  const older = BigInt(fromId) < BigInt(toId) ? 'from' : 'to';
  const [a, b] = older === 'from' ? [fromId, toId] : [toId, fromId];
  return notFound(`${older}: events ${a} and ${b} are on the two sides of event ${movedId}, which moved the record of event ${a} from the key `
    + `${JSON.stringify(key)} of ${table} to the key ${compactJson(newKey)}: compare versions on one side of it (the record's later versions are under its new key)`, older);
}

/** The difference between two versions (event ids) of one record. */
export function compareVersions(pool: pg.Pool, table: string, key: Record<string, unknown>, fromEventId: string, toEventId: string, options: QueryOptions = {}): Promise<VersionComparison> {
  return compareVersionsWith(EXACT_CODEC, pool, table, key, fromEventId, toEventId, options) as Promise<VersionComparison>;
}

/**
 * compareVersions with events and changes decoded by a codec (the HTTP API keeps PostgreSQL's JSON text).
 * The changes are computed in SQL on the jsonb snapshots, so values compare exactly (a missing column equals null).
 */
export async function compareVersionsWith<E>(
  codec: JsonCodec<E>, pool: pg.Pool, table: string, givenKey: Record<string, unknown>, fromEventId: string, toEventId: string, options: QueryOptions = {},
): Promise<{ from: E; to: E; changes: unknown }> {
  const schema = schemaOf(options);
  for (const [parameter, value] of [['from', fromEventId], ['to', toEventId]] as const) {
    if (!EVENT_ID.test(String(value)) || BigInt(value) > 9223372036854775807n) throw invalidParameter(parameter, `must be an event id (a positive integer), got ${JSON.stringify(String(value).slice(0, 40))}`);
  }
  const registered = requireTable(await loadRegistry(pool, options, [table]), table);
  const key = await castRecordKey(pool, schema, registered, givenKey);
  const params = new SqlParams();
  const where = snapshotKeyCondition('s', registered, key, params);
  const fromId = params.add(fromEventId, '::bigint');
  const toId = params.add(toEventId, '::bigint');
  // A key change away from this key between the two versions: they may be of two different records that had the key.
  const moved = fromEventId === toEventId ? undefined : movedAwaySelect(schema, registered, key, params);
  const movedBetween = moved === undefined ? 'NULL' : `(SELECT m.event_id || ' ' || m.record_key FROM moved m
       WHERE m.position > 2 * least(${fromId}, ${toId})::numeric AND m.position < 2 * greatest(${fromId}, ${toId})::numeric ORDER BY m.position LIMIT 1)`;
  const { rows } = await pool.query<{ side: 'from' | 'to'; changes: string | null; moved_between: string | null } & EventRow>(
    `WITH ${moved === undefined ? '' : `moved AS (${moved}), `}v AS (
       SELECT d.event_id AS id, ${eventColumns(historyEventJson(schema, registered))}, (${historyEventJson(schema, registered)}) -> 'snapshot' AS snapshot
       FROM ${historyFrom(schema, registered)} WHERE ${where} AND d.event_id IN (${fromId}, ${toId})
     ), pair AS (SELECT f.snapshot AS a, t.snapshot AS b FROM v f, v t WHERE f.id = ${fromId} AND t.id = ${toId})
     SELECT side, event_id, record_key, event,
       CASE WHEN side = 'from' THEN (
         SELECT coalesce(jsonb_object_agg(k, jsonb_build_array(coalesce(a -> k, 'null'), coalesce(b -> k, 'null'))), '{}')::text
         FROM pair, LATERAL (SELECT jsonb_object_keys(a) UNION SELECT jsonb_object_keys(b)) keys(k)
         WHERE coalesce(a -> k, 'null') IS DISTINCT FROM coalesce(b -> k, 'null')) END AS changes,
       CASE WHEN side = 'from' THEN ${movedBetween} END AS moved_between
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
  if (from.moved_between) throw differentRecords(registered.table, key, [fromEventId, toEventId], from.moved_between);
  return { from: codec.event(from), to: codec.event(to), changes: codec.value(from.changes ?? '{}') };
}
