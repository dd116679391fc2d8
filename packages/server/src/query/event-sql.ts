import { qualified, quoteIdent } from '../ddl/quote.js';
import { SNAPSHOT_META_COLUMNS } from '../ddl/tracked-table-spec.js';

/** A timestamptz as ISO 8601 in UTC with microseconds, independent of the session's TimeZone. */
export const isoTime = (expression: string): string =>
  `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** JSON of a context row aliased `alias` (null when the event has none). */
const contextJson = (alias: string): string => `CASE WHEN ${alias}.id IS NULL THEN NULL ELSE json_build_object(
  'id', ${alias}.id, 'user', ${alias}.metadata -> 'user', 'requestId', ${alias}.metadata ->> 'requestId',
  'method', ${alias}.metadata ->> 'method', 'url', ${alias}.metadata ->> 'url', 'metadata', ${alias}.metadata,
  'dbUser', ${alias}.db_user, 'applicationName', ${alias}.application_name, 'createdAt', ${isoTime(`${alias}.created_at`)}) END`;

/** JSON of a context row aliased "c" (null when the event has none). */
export const CONTEXT_JSON = contextJson('c');

/**
 * The DiffEvent of a diff row aliased "d" joined to its context "c" (see diffFrom), as JSON text built in
 * SQL so the query API and the streamed export share one definition of the shape. Concatenated rather
 * than built with json_build_object, which looks up every argument's type and output function again for
 * each row (most of an export's server time). Only the two free-text fields need JSON escaping (to_json);
 * operation is one of three words, the ids are digits, and the jsonb and json values are PostgreSQL's own
 * JSON text, every digit kept.
 */
export const DIFF_EVENT_JSON = `('{"eventId":"' || d.event_id || '","table":' || to_json(d.table_name)::text
  || ',"recordKey":' || d.record_key::text || ',"oldRecordKey":' || coalesce(d.old_record_key::text, 'null')
  || ',"operation":"' || d.operation || '","changes":' || d.changes::text
  || ',"label":' || coalesce(to_json(d.label)::text, 'null') || ',"txid":"' || d.txid
  || '","createdAt":"' || ${isoTime('d.created_at')} || '","context":' || coalesce(c.json::text, 'null') || '}')`;

/** The snapshot row "s" without Rowtrail's meta columns. */
export const SNAPSHOT_JSON = `to_jsonb(s) - ARRAY[${SNAPSHOT_META_COLUMNS.map((c) => `'${c.name}'`).join(', ')}]::text[]`;

/** The HistoryEvent of diff "d", context "c" and snapshot "s". */
export const HISTORY_EVENT_JSON = `(${DIFF_EVENT_JSON}::jsonb || jsonb_build_object('snapshot', ${SNAPSHOT_JSON}))`;

/** The context row "c" of id `idExpression`: the earliest, as concurrent transactions of one request may each store it. */
export const contextRow = (schema: string, idExpression: string): string =>
  `(SELECT * FROM ${quoteIdent(schema)}.context c0 WHERE c0.id = ${idExpression} ORDER BY c0.created_at LIMIT 1)`;

/**
 * The context of diff "d" as "c" (c.json is its JSON), built inside a lateral subquery so that
 * PostgreSQL's Memoize node can build it once per context id (an export of many events of few
 * requests) instead of once per event.
 */
export const contextJoin = (schema: string): string =>
  `LEFT JOIN LATERAL (SELECT ${contextJson('c0')} AS json FROM ${quoteIdent(schema)}.context c0
   WHERE c0.id = d.context_id ORDER BY c0.created_at LIMIT 1) c ON true`;

/** FROM clause for diff events "d" of any table, with their context "c" (see contextJoin). */
export const diffFrom = (schema: string): string => `${quoteIdent(schema)}.diff d ${contextJoin(schema)}`;

/** FROM clause for history events of one table (snapshot table name from the registry). */
export const historyFrom = (schema: string, snapshotTable: string): string =>
  `${diffFrom(schema)} JOIN ${qualified(schema, snapshotTable)} s ON s.rowtrail_event_id = d.event_id`;

/** Collects positional parameters while a query is built. */
export class SqlParams {
  readonly values: unknown[] = [];
  /** Adds a value and returns its placeholder, with an optional cast. */
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}
