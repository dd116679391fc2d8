import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { HISTORY_EVENT_JSON, historyFrom, SqlParams } from './event-sql.js';
import type { HistoryEvent } from './event-types.js';
import { invalidParameter, notFound } from './query-errors.js';
import { recordKeyJson } from './record-key.js';
import { loadRegistry, requireTable, schemaOf, type QueryOptions } from './tracked-table-registry.js';

export interface VersionComparison {
  from: HistoryEvent;
  to: HistoryEvent;
  /** Columns whose value differs: {column: [valueInFrom, valueInTo]}. */
  changes: Record<string, [unknown, unknown]>;
}

const EVENT_ID = /^\d{1,19}$/;

/** The difference between two versions (event ids) of one record. */
export async function compareVersions(pool: pg.Pool, table: string, key: Record<string, unknown>, fromEventId: string, toEventId: string, options: QueryOptions = {}): Promise<VersionComparison> {
  const schema = schemaOf(options);
  for (const [parameter, value] of [['from', fromEventId], ['to', toEventId]] as const) {
    if (!EVENT_ID.test(String(value)) || BigInt(value) > 9223372036854775807n) throw invalidParameter(parameter, `must be an event id (a positive integer), got ${JSON.stringify(String(value).slice(0, 40))}`);
  }
  const registered = requireTable(await loadRegistry(pool, options), table);
  const params = new SqlParams();
  const { rows } = await pool.query<{ event: HistoryEvent }>(
    `SELECT ${HISTORY_EVENT_JSON} AS event FROM ${historyFrom(schema, registered.snapshotTable)}
     WHERE d.table_name = ${params.add(registered.table)} AND d.record_key = ${params.add(recordKeyJson(registered, key), '::jsonb')}
       AND d.event_id = ANY(${params.add([fromEventId, toEventId], '::bigint[]')})`,
    params.values,
  );
  const find = (id: string, parameter: string) => {
    const event = rows.find((r) => r.event.eventId === String(BigInt(id)))?.event;
    if (!event) throw notFound(`${parameter}: event ${id} is not a version of ${registered.table} ${JSON.stringify(key)}`, parameter);
    return event;
  };
  const from = find(fromEventId, 'from');
  const to = find(toEventId, 'to');
  const changes: Record<string, [unknown, unknown]> = {};
  for (const column of new Set([...Object.keys(from.snapshot), ...Object.keys(to.snapshot)])) {
    const a = from.snapshot[column] ?? null;
    const b = to.snapshot[column] ?? null;
    if (!isDeepStrictEqual(a, b)) changes[column] = [a, b];
  }
  return { from, to, changes };
}
