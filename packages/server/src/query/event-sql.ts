import { qualified, quoteIdent, quoteLiteral } from '../ddl/quote.js';
import { jsonToJsonb } from '../ddl/json-expressions.js';
import { HISTORY_META_COLUMNS } from '../ddl/tracked-table-spec.js';

/** A timestamptz as ISO 8601 in UTC with microseconds, independent of the session's TimeZone. */
export const isoTime = (expression: string): string =>
  `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * JSON of a context row aliased `alias` (null when the event has none). `user` is a string or a number as given;
 * any other JSON value (true, an object) is given as its JSON text, the text the user filter compares with.
 */
const contextJson = (alias: string): string => `CASE WHEN ${alias}.id IS NULL THEN NULL ELSE json_build_object(
  'id', ${alias}.id,
  'user', CASE WHEN jsonb_typeof(${alias}.metadata -> 'user') IN ('string', 'number') THEN ${alias}.metadata -> 'user' ELSE to_jsonb(${alias}.metadata ->> 'user') END,
  'requestId', ${alias}.metadata ->> 'requestId',
  'method', ${alias}.metadata ->> 'method', 'url', ${alias}.metadata ->> 'url', 'metadata', ${alias}.metadata,
  'dbUser', ${alias}.db_user, 'applicationName', ${alias}.application_name, 'createdAt', ${isoTime(`${alias}.created_at`)}) END`;

/** JSON of a context row aliased "c" (null when the event has none). */
export const CONTEXT_JSON = contextJson('c');

/**
 * The DiffEvent of an event row aliased "d" joined to its context "c" (see eventFrom), as JSON text built in
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

const META_COLUMN_NAMES = `ARRAY[${HISTORY_META_COLUMNS.map((c) => `'${c.name}'`).join(', ')}]::text[]`;

/**
 * The history row "s" of a table without Rowtrail's meta columns: the row version. A history table with json columns
 * (the table's, or ones it kept after a column was dropped or retyped) is read
 * from its JSON text as the capture converts a json value (jsonToJsonb), so a value jsonb cannot hold (\u0000) reads
 * as its diff recorded it instead of failing the read.
 */
export function snapshotJson(schema: string, table: SnapshotShape): string {
  // "s.*", never a bare "s": PostgreSQL reads a bare name as a column before a relation, so a tracked table's own
  // column "s" would be converted instead of the row; "s.*" can only name the relation
  const row = `${table.historyHasJson ? jsonToJsonb(schema, 'to_json(s.*)', 'to_jsonb(s.*)') : 'to_jsonb(s.*)'} - ${META_COLUMN_NAMES}`;
  const retyped = Object.entries(table.retypedColumns ?? {});
  if (retyped.length === 0) return row;
  // A column whose type changed: a version written before holds its value in the renamed column "<name>__<old type>"
  // (and NULL in the column itself), one written after in the column. Each version shows it under its name.
  const value = (name: string, archives: string[]) =>
    `coalesce(${[name, ...archives].map((c) => `nullif(r.v -> ${quoteLiteral(c)}, 'null')`).join(', ')}, 'null')`;
  const merged = retyped.map(([name, archives]) => `${quoteLiteral(name)}, ${value(name, archives)}`).join(', ');
  const renamed = retyped.flatMap(([, archives]) => archives).map(quoteLiteral).join(', ');
  return `(SELECT (r.v || jsonb_build_object(${merged})) - ARRAY[${renamed}]::text[] FROM (SELECT ${row} AS v) r)`;
}

/** What the snapshot of a table's history rows needs to know about its history table. */
export interface SnapshotShape {
  historyHasJson: boolean;
  /** Columns retyped since first tracked: name → the columns their older values were renamed to, newest first. */
  retypedColumns?: Record<string, string[]>;
}

/** The HistoryEvent of diff "d", context "c" and snapshot "s" of a table. */
export const historyEventJson = (schema: string, table: SnapshotShape): string =>
  `(${DIFF_EVENT_JSON}::jsonb || jsonb_build_object('snapshot', ${snapshotJson(schema, table)}))`;

/**
 * The order of the rows of one context id, earliest first: each session that writes in a request stores its own row.
 * The row's position breaks a tie of times, so readers and filters (contextIdsQuery) always take the same row.
 */
export const CONTEXT_ROW_ORDER = (alias: string): string => `${alias}.created_at, ${alias}.ctid`;

/** The context row "c" of id `idExpression`: the earliest, as concurrent transactions of one request may each store it. */
export const contextRow = (schema: string, idExpression: string): string =>
  `(SELECT * FROM ${quoteIdent(schema)}.context c0 WHERE c0.id = ${idExpression} ORDER BY ${CONTEXT_ROW_ORDER('c0')} LIMIT 1)`;

/**
 * The context of diff "d" as "c" (c.json is its JSON), built inside a lateral subquery so that
 * PostgreSQL's Memoize node can build it once per context id (an export of many events of few
 * requests) instead of once per event.
 */
export const contextJoin = (schema: string): string =>
  `LEFT JOIN LATERAL (SELECT ${contextJson('c0')} AS json FROM ${quoteIdent(schema)}.context c0
   WHERE c0.id = d.context_id ORDER BY ${CONTEXT_ROW_ORDER('c0')} LIMIT 1) c ON true`;

/** rowtrail.event: every history event of every tracked table, with the columns rowtrail.diff had (sql/000005). */
export const eventView = (schema: string): string => `${quoteIdent(schema)}.event`;

/** FROM clause for events "d" of any table, with their context "c" (see contextJoin). */
export const eventFrom = (schema: string): string => `${eventView(schema)} d ${contextJoin(schema)}`;

/**
 * FROM clause for the events "d" (with context "c") named by a subquery returning table_name and event_id,
 * aliased "o". Each lookup reads one history table: the lookup is planned on its own (OFFSET 0 keeps it from
 * being merged into the outer query), so o.table_name is a parameter there and rowtrail.event's branches of
 * other tables are skipped by a one-time filter on their constant table name, not probed.
 */
export const eventsNamedBy = (schema: string, ids: string): string =>
  `(${ids}) o CROSS JOIN LATERAL (SELECT * FROM ${eventView(schema)} e WHERE e.table_name = o.table_name AND e.event_id = o.event_id OFFSET 0) d
   ${contextJoin(schema)}`;

/**
 * FROM clause for the history events of one table: its history rows "s", with the event columns as "d"
 * (as rowtrail.event defines them) and the context as "c". Reads the history table alone, so a record's
 * versions come from its key index in event order. Rows without a diff are left out, as rowtrail.event does.
 */
export const historyFrom = (schema: string, table: { table: string; snapshotTable: string }): string =>
  `${qualified(schema, table.snapshotTable)} s CROSS JOIN LATERAL (SELECT ${historyEventColumns(schema, table)}
     WHERE ${historyChanges(schema, 's')} IS NOT NULL) d
   ${contextJoin(schema)}`;

/**
 * FROM clause for the events "d" of one table (with context "c"), read from its history table alone: rowtrail.event's
 * branch of that table as a plain subquery, which the planner merges into the query, so a range of event ids is one
 * scan of the history table's event-id index.
 */
export const tableEventsFrom = (schema: string, table: { table: string; snapshotTable: string }): string =>
  `(SELECT ${historyEventColumns(schema, table)}
   FROM ${qualified(schema, table.snapshotTable)} s WHERE ${historyChanges(schema, 's')} IS NOT NULL) d
   ${contextJoin(schema)}`;

/** The event columns of a history row "s" of a table, named as rowtrail.event names them. */
const historyEventColumns = (schema: string, table: { table: string }): string =>
  `s.rowtrail_event_id AS event_id, ${quoteLiteral(table.table)}::text AS table_name, s.rowtrail_record_key AS record_key,
     s.rowtrail_old_record_key AS old_record_key, s.rowtrail_operation AS operation, ${historyChanges(schema, 's')} AS changes,
     s.rowtrail_label AS label, s.rowtrail_context_id AS context_id, s.rowtrail_txid AS txid, s.rowtrail_created_at AS created_at`;

/**
 * A history row's diff: in the row since core version 5, in rowtrail.diff (by event id) for rows written before;
 * null when it is in neither (an old diff row deleted by maintenance), and such a row is no event. The same
 * expression as rowtrail.history_changes() in sql/000005, which rowtrail.event is built with.
 */
const historyChanges = (schema: string, alias: string): string =>
  `coalesce(${alias}.rowtrail_changes, (SELECT x.changes FROM ${quoteIdent(schema)}.diff x WHERE x.event_id = ${alias}.rowtrail_event_id))`;

/** Collects positional parameters while a query is built. */
export class SqlParams {
  readonly values: unknown[] = [];
  /** Adds a value and returns its placeholder, with an optional cast. */
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}
