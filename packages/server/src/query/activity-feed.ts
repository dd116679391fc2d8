import type pg from 'pg';
import { decodeCursor, pageLimit, toPage, type Page } from './event-cursor.js';
import { filterConditions, whereClause, type EventFilter } from './event-filter.js';
import { DIFF_EVENT_JSON, diffFrom, SqlParams } from './event-sql.js';
import type { DiffEvent } from './event-types.js';
import { loadRegistry, schemaOf, type QueryOptions } from './tracked-table-registry.js';

export interface ActivityFeedOptions extends QueryOptions {
  limit?: number;
  cursor?: string | null;
}

/** Events across tracked tables matching a filter, newest first, keyset-paginated on the event id. */
export async function activityFeed(pool: pg.Pool, filter: EventFilter = {}, options: ActivityFeedOptions = {}): Promise<Page<DiffEvent>> {
  const schema = schemaOf(options);
  const limit = pageLimit(options.limit);
  const after = decodeCursor(options.cursor);
  const registry = await loadRegistry(pool, options);
  const params = new SqlParams();
  const where = filterConditions(filter, registry, params);
  if (after !== undefined) where.push(`d.event_id < ${params.add(after, '::bigint')}`);
  const { rows } = await pool.query<{ event: DiffEvent }>(
    `SELECT ${DIFF_EVENT_JSON} AS event FROM ${diffFrom(schema)} ${whereClause(where)} ORDER BY d.event_id DESC LIMIT ${limit + 1}`,
    params.values,
  );
  return toPage(rows.map((r) => r.event), limit);
}
