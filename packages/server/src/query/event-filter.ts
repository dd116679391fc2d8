import { quoteIdent } from '../ddl/quote.js';
import { invalidParameter } from './query-errors.js';
import { requireInstant } from './iso-time.js';
import { OPERATIONS, type Operation } from './event-types.js';
import { diffRecordCondition } from './record-match.js';
import { requireSafeText } from './safe-text.js';
import { requireTable, type RegisteredTable } from './tracked-table-registry.js';
import { CONTEXT_ROW_ORDER, type SqlParams } from './event-sql.js';
import { afterWatermarkCondition, parseWatermark } from './watermark.js';

/** Filters of the activity feed, the activity buckets and filtered exports. */
export interface EventFilter {
  /** "schema.table" (or "table" for public) of tracked tables. */
  tables?: string[];
  operations?: Operation[];
  /** Context metadata "user" (compared as text). */
  user?: string | number;
  /** Context metadata "requestId". */
  requestId?: string;
  /**
   * The database user (session_user) of writes made without application context: psql, migrations, scripts outside
   * run(), whose context row has metadata {} (one per transaction). Requests' writes are found by `user`.
   */
  dbUser?: string;
  contextId?: string;
  /** Any context metadata key = value (compared as text: 5 matches "5"). */
  metadata?: Record<string, string | number | boolean>;
  /**
   * Primary key of one record, or some of its columns (the events of every record whose key has those values,
   * such as every link of one article in a join table); needs exactly one table.
   */
  recordKey?: Record<string, unknown>;
  /**
   * Recorded columns of the one table: only UPDATEs whose diff changed any of them ("who changed this email?").
   * An INSERT sets every column and a DELETE removes them; neither is selected.
   */
  changed?: string[];
  /** Inclusive lower bound of the event time. */
  from?: Date | string;
  /** Exclusive upper bound of the event time. */
  to?: Date | string;
  /**
   * A watermark (an earlier export's header `watermark`): only events whose transaction committed after that
   * export's snapshot was taken. Exports chained this way hold every event exactly once (see watermark.ts).
   */
  after?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A valid uuid or a 400 naming the parameter. */
export function requireUuid(value: string, parameter: string): string {
  if (!UUID.test(value)) throw invalidParameter(parameter, `must be a UUID, got ${JSON.stringify(value.slice(0, 60))}`);
  return value;
}

/** True when a filter selects events by their context's metadata (user, requestId, dbUser, metadata). */
export const hasContextFilter = (filter: EventFilter): boolean =>
  filter.user !== undefined || filter.requestId !== undefined || filter.dbUser !== undefined || Object.keys(filter.metadata ?? {}).length > 0;

/**
 * The ids of the contexts a filter's user, requestId and metadata select (`SELECT x.id FROM context x ...`),
 * or undefined when it has none of them. context.id is not unique (see docs/schema.md): each session that writes in
 * a context stores its own row, and a live context's (a request whose user authentication set after its first
 * write) may hold other metadata than the first. Readers show the earliest row (contextRow), so only that row is
 * matched: a filter never selects events whose context then says otherwise, nor depends on which pooled connection
 * wrote. The expression indexes on metadata ->> 'user' / 'requestId' serve it, the id index the earliest-row check
 * (one probe per candidate row; for a user with hundreds of thousands of contexts PostgreSQL may hash the context
 * table instead). Measured on 2.1M context rows with random ids: about twice the time of matching any row, for a
 * user with 400, 5,000 or 420,000 contexts alike.
 */
export function contextIdsQuery(filter: EventFilter, params: SqlParams, schema: string): string | undefined {
  const context: string[] = [];
  if (filter.user !== undefined) context.push(`x.metadata ->> 'user' = ${params.add(requireSafeText(String(filter.user), 'user'))}`);
  if (filter.requestId !== undefined) context.push(`x.metadata ->> 'requestId' = ${params.add(requireSafeText(filter.requestId, 'requestId'))}`);
  // rowtrail.context has no index on db_user (each would cost every request's write): the optional partial index
  // docs/schema.md suggests holds exactly these rows
  if (filter.dbUser !== undefined) context.push(`x.db_user = ${params.add(requireSafeText(filter.dbUser, 'dbUser'))} AND x.metadata = '{}'::jsonb`);
  for (const [key, value] of Object.entries(filter.metadata ?? {})) {
    context.push(`x.metadata ->> ${params.add(requireSafeText(key, `meta.${key}`))} = ${params.add(requireSafeText(String(value), `meta.${key}`))}`);
  }
  if (context.length === 0) return undefined;
  context.push(`NOT EXISTS (SELECT 1 FROM ${quoteIdent(schema)}.context y WHERE y.id = x.id AND (${CONTEXT_ROW_ORDER('y')}) < (${CONTEXT_ROW_ORDER('x')}))`);
  return `SELECT x.id FROM ${quoteIdent(schema)}.context x WHERE ${context.join(' AND ')}`;
}

/**
 * Builds the WHERE conditions of a filter over events "d" (rowtrail.event, in the Rowtrail schema `schema`).
 * Table names are resolved through the registry; every value is a parameter.
 * Context filters (user, requestId, dbUser, metadata) select the context ids first (contextIdsQuery).
 */
export function filterConditions(filter: EventFilter, registry: Map<string, RegisteredTable>, params: SqlParams, schema: string): string[] {
  const where: string[] = [];
  const tables = (filter.tables ?? []).map((t) => requireTable(registry, t, 'table'));
  if (tables.length > 0) where.push(`d.table_name = ANY(${params.add(tables.map((t) => t.table), '::text[]')})`);
  if (filter.operations?.length) {
    for (const op of filter.operations) {
      if (!OPERATIONS.includes(op)) throw invalidParameter('operation', `must be one of ${OPERATIONS.join(', ')}, got ${JSON.stringify(op)}`);
    }
    where.push(`d.operation = ANY(${params.add(filter.operations, '::text[]')})`);
  }
  const contextIds = contextIdsQuery(filter, params, schema);
  // = ANY(ARRAY(...)) rather than IN (SELECT ...): the ids are computed once (an InitPlan) and each history table's context index
  // can look them up, whereas a semi-join lets the planner walk every event backwards for a feed page.
  if (contextIds !== undefined) where.push(`d.context_id = ANY (ARRAY(${contextIds}))`);
  if (filter.contextId !== undefined) where.push(`d.context_id = ${params.add(requireUuid(filter.contextId, 'contextId'), '::uuid')}`);
  if (filter.recordKey !== undefined) {
    if (tables.length !== 1) throw invalidParameter('recordKey', 'needs exactly one "table" parameter');
    where.push(diffRecordCondition(schema, tables[0], filter.recordKey, params, 'recordKey', { partial: true }));
  }
  if (filter.changed !== undefined && filter.changed.length > 0) {
    if (tables.length !== 1) throw invalidParameter('changed', 'needs exactly one "table" parameter');
    where.push(changedCondition(tables[0], filter.changed, params));
  }
  const from = filter.from !== undefined ? requireInstant(filter.from, 'from') : undefined;
  const to = filter.to !== undefined ? requireInstant(filter.to, 'to') : undefined;
  if (from !== undefined && to !== undefined && from.micros > to.micros) throw invalidParameter('from', `must not be after "to"`);
  if (from !== undefined) where.push(`d.created_at >= ${params.add(from.text, '::timestamptz')}`);
  if (to !== undefined) where.push(`d.created_at < ${params.add(to.text, '::timestamptz')}`);
  if (filter.after !== undefined) where.push(afterWatermarkCondition(parseWatermark(filter.after), params));
  return where;
}

/**
 * UPDATE events "d" whose diff has any of the named columns; each must be a column history records, or recorded until it
 * was dropped or renamed (its history column stays, and so do the diffs that name it).
 */
function changedCondition(table: RegisteredTable, columns: string[], params: SqlParams): string {
  const recorded = table.columns.map((c) => c.name);
  for (const name of columns) {
    if (!recorded.includes(name) && !table.historyColumns.includes(name)) {
      throw invalidParameter('changed', `${JSON.stringify(name)} is not a column history records for ${table.table} (${recorded.join(', ')})`);
    }
  }
  // an UPDATE's diff holds the changed columns only; no index serves this: it filters the events the rest selects
  return `d.operation = 'UPDATE' AND d.changes ?| ${params.add(columns, '::text[]')}`;
}

export const whereClause = (conditions: string[]): string => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');
