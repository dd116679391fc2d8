import type pg from 'pg';
import { quoteIdent } from '../ddl/quote.js';
import { decodeCursor, pageLimit, toPage, type Page } from './event-cursor.js';
import { requireUuid } from './event-filter.js';
import { CONTEXT_JSON, DIFF_EVENT_JSON, contextRow, diffFrom, SqlParams } from './event-sql.js';
import type { DiffEvent, EventContext } from './event-types.js';
import { notFound } from './query-errors.js';
import { loadRegistry, schemaOf, type QueryOptions } from './tracked-table-registry.js';

export interface ContextChanges extends Page<DiffEvent> {
  context: EventContext;
}

/** Everything one request (context) changed, across tables, oldest first. */
export async function contextChanges(pool: pg.Pool, contextId: string, options: QueryOptions & { limit?: number; cursor?: string | null } = {}): Promise<ContextChanges> {
  const schema = schemaOf(options);
  requireUuid(contextId, 'id');
  const limit = pageLimit(options.limit);
  const after = decodeCursor(options.cursor);
  await loadRegistry(pool, options); // a clear error when Rowtrail is not installed
  const found = await pool.query<{ context: EventContext }>(`SELECT ${CONTEXT_JSON} AS context FROM ${contextRow(schema, '$1::uuid')} c`, [contextId]);
  if (found.rows.length === 0) throw notFound(`id: no context ${contextId}`, 'id');
  const params = new SqlParams();
  const where = [`d.context_id = ${params.add(contextId, '::uuid')}`];
  if (after !== undefined) where.push(`d.event_id > ${params.add(after, '::bigint')}`);
  const { rows } = await pool.query<{ event: DiffEvent }>(
    `SELECT ${DIFF_EVENT_JSON} AS event FROM ${diffFrom(schema)} WHERE ${where.join(' AND ')} ORDER BY d.event_id ASC LIMIT ${limit + 1}`,
    params.values,
  );
  return { context: found.rows[0].context, ...toPage(rows.map((r) => r.event), limit) };
}
