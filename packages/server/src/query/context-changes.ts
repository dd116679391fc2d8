import type pg from 'pg';
import { decodeCursor, pageLimit, type Page } from './event-cursor.js';
import { requireUuid } from './event-filter.js';
import { eventColumns, EXACT_CODEC, type JsonCodec } from './event-rows.js';
import { CONTEXT_JSON, DIFF_EVENT_JSON, contextRow, eventFrom, SqlParams } from './event-sql.js';
import type { DiffEvent, EventContext } from './event-types.js';
import { pageBytes, readBudgetedPage } from './page-budget.js';
import { notFound } from './query-errors.js';
import { loadRegistry, schemaOf, type QueryOptions } from './tracked-table-registry.js';

export interface ContextChanges<E = DiffEvent> extends Page<E> {
  context: EventContext;
}

export type ContextChangesOptions = QueryOptions & {
  limit?: number;
  cursor?: string | null;
  /** The most bytes of event JSON a page holds (default PAGE_BYTES, 8 MiB): the page ends early, with a nextCursor. */
  maxPageBytes?: number;
};

/** Everything one request (context) changed, across tables, oldest first. */
export function contextChanges(pool: pg.Pool, contextId: string, options: ContextChangesOptions = {}): Promise<ContextChanges> {
  return contextChangesWith(EXACT_CODEC, pool, contextId, options) as Promise<ContextChanges>;
}

/** contextChanges with events and context decoded by a codec (the HTTP API keeps PostgreSQL's JSON text). */
export async function contextChangesWith<E>(codec: JsonCodec<E>, pool: pg.Pool, contextId: string, options: ContextChangesOptions = {}): Promise<Page<E> & { context: unknown }> {
  const schema = schemaOf(options);
  requireUuid(contextId, 'id');
  const limit = pageLimit(options.limit);
  const after = decodeCursor(options.cursor);
  const maxBytes = pageBytes(options.maxPageBytes);
  await loadRegistry(pool, options); // a clear error when Rowtrail is not installed
  const found = await pool.query<{ context: string }>(`SELECT (${CONTEXT_JSON})::text AS context FROM ${contextRow(schema, '$1::uuid')} c`, [contextId]);
  if (found.rows.length === 0) throw notFound(`id: no context ${contextId}`, 'id');
  const build = (from: string | undefined, rows: number) => {
    const params = new SqlParams();
    const where = [`d.context_id = ${params.add(contextId, '::uuid')}`];
    if (from !== undefined) where.push(`d.event_id > ${params.add(from, '::bigint')}`);
    return {
      text: `SELECT ${eventColumns(DIFF_EVENT_JSON)} FROM ${eventFrom(schema)} WHERE ${where.join(' AND ')} ORDER BY d.event_id ASC LIMIT ${rows}`,
      values: params.values,
    };
  };
  return { context: codec.value(found.rows[0].context), ...(await readBudgetedPage(pool, build, { after, limit, maxBytes }, codec)) };
}
