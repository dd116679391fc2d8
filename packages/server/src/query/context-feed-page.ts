import { whereClause } from './event-filter.js';
import { eventView } from './event-sql.js';

/**
 * Up to this many contexts, a context-filtered feed page is assembled context by context (each
 * context's newest events from the history tables' (context id, event id) indexes); with more, by
 * walking the newest events and keeping those of the selected contexts.
 */
export const CONTEXT_PAGE_MAX_CONTEXTS = 1000;

/**
 * The table names and event ids of one feed page of events whose context is one of `contextIds`
 * (a `SELECT x.id FROM context x ...` query) and that meet `where`, newest first.
 * Walking the newest events only is quick for a user with many requests, whose events are
 * everywhere, but reads a whole table for one who wrote a few times long ago; looking each
 * context up is quick for few contexts. So the page is built context by context when there are
 * at most CONTEXT_PAGE_MAX_CONTEXTS of them, and by the walk otherwise (two arms of one
 * statement, each gated on the count, so only one runs).
 */
export function contextFeedPage(schema: string, contextIds: string, where: string[], rows: number): string {
  const events = eventView(schema);
  const also = where.length > 0 ? ` AND ${where.join(' AND ')}` : '';
  return `WITH k AS MATERIALIZED (SELECT ARRAY(${contextIds} LIMIT ${CONTEXT_PAGE_MAX_CONTEXTS + 1}) AS ids)
  SELECT p.table_name, p.event_id FROM (
    SELECT o.table_name, o.event_id FROM k CROSS JOIN LATERAL (SELECT DISTINCT u.id FROM unnest(k.ids) u(id)) c -- a context may be stored twice
    CROSS JOIN LATERAL (SELECT d.table_name, d.event_id FROM ${events} d WHERE d.context_id = c.id${also} ORDER BY d.event_id DESC LIMIT ${rows}) o
    WHERE cardinality(k.ids) <= ${CONTEXT_PAGE_MAX_CONTEXTS}
    UNION ALL
    SELECT d.table_name, d.event_id FROM ${events} d
    ${whereClause([`(SELECT cardinality(k.ids) FROM k) > ${CONTEXT_PAGE_MAX_CONTEXTS}`, `d.context_id = ANY (ARRAY(${contextIds}))`, ...where])}
  ) p ORDER BY p.event_id DESC LIMIT ${rows}`;
}
