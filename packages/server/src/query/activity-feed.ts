import type pg from 'pg';
import { requireEventFilter } from './event-filter-shape.js';
import { decodeCursor, pageLimit, type Page } from './event-cursor.js';
import { contextFeedPage } from './context-feed-page.js';
import { contextIdsQuery, filterConditions, hasContextFilter, whereClause, type EventFilter } from './event-filter.js';
import { eventColumns, EXACT_CODEC, type JsonCodec } from './event-rows.js';
import { DIFF_EVENT_JSON, eventFrom, eventsNamedBy, SqlParams } from './event-sql.js';
import type { DiffEvent } from './event-types.js';
import { pageBytes, readBudgetedPage } from './page-budget.js';
import { castFilterKey } from './record-key-cast.js';
import { loadRegistry, schemaOf, type QueryOptions } from './tracked-table-registry.js';
import { requireReachedWatermark } from './watermark.js';

export interface ActivityFeedOptions extends QueryOptions {
  limit?: number;
  cursor?: string | null;
  /** The most bytes of event JSON a page holds (default PAGE_BYTES, 8 MiB): the page ends early, with a nextCursor. */
  maxPageBytes?: number;
}

/** Events across tracked tables matching a filter, newest first, keyset-paginated on the event id. */
export function activityFeed(pool: pg.Pool, filter: EventFilter = {}, options: ActivityFeedOptions = {}): Promise<Page<DiffEvent>> {
  return activityFeedWith(EXACT_CODEC, pool, filter, options);
}

/** activityFeed with events decoded by a codec (the HTTP API keeps PostgreSQL's JSON text). */
export async function activityFeedWith<E>(codec: JsonCodec<E>, pool: pg.Pool, givenFilter: EventFilter = {}, options: ActivityFeedOptions = {}): Promise<Page<E>> {
  const schema = schemaOf(options);
  const limit = pageLimit(options.limit);
  const after = decodeCursor(options.cursor);
  const maxBytes = pageBytes(options.maxPageBytes);
  requireEventFilter(givenFilter);
  const registry = await loadRegistry(pool, options, givenFilter.tables ?? []);
  await requireReachedWatermark(pool, givenFilter.after);
  const filter = await castFilterKey(pool, schema, registry, givenFilter);
  // With a context filter (user, requestId, dbUser, metadata), the page's table names and event ids first (see
  // contextFeedPage), then only those events are read and built, each from its own history table. Without
  // one, the newest events are read directly, which stops after the page anyway.
  const build = (before: string | undefined, rows: number) => {
    const params = new SqlParams();
    if (hasContextFilter(filter)) {
      const { user: _user, requestId: _requestId, dbUser: _dbUser, metadata: _metadata, ...others } = filter;
      const where = filterConditions(others, registry, params, schema);
      if (before !== undefined) where.push(`d.event_id < ${params.add(before, '::bigint')}`);
      const page = contextFeedPage(schema, contextIdsQuery(filter, params, schema)!, where, rows);
      return { text: `SELECT ${eventColumns(DIFF_EVENT_JSON)} FROM ${eventsNamedBy(schema, page)} ORDER BY d.event_id DESC LIMIT ${rows}`, values: params.values };
    }
    const where = filterConditions(filter, registry, params, schema);
    if (before !== undefined) where.push(`d.event_id < ${params.add(before, '::bigint')}`);
    return {
      text: `SELECT ${eventColumns(DIFF_EVENT_JSON)} FROM ${eventFrom(schema)} ${whereClause(where)} ORDER BY d.event_id DESC LIMIT ${rows}`,
      values: params.values,
    };
  };
  return readBudgetedPage(pool, build, { after, limit, maxBytes }, codec);
}
