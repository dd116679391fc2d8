import { quoteIdent, quoteLiteral } from '../ddl/quote.js';
import type { EventFilter } from '../query/event-filter.js';
import { DIFF_EVENT_JSON, eventsNamedBy, eventView, tableEventsFrom } from '../query/event-sql.js';
import type { ExportSelection } from './export-format.js';

/** A table with events to export, and the lowest and highest of their event ids (null: all of the table's events). */
export interface TableRange {
  table: string;
  snapshotTable: string;
  lo: string | null;
  hi: string | null;
}

/**
 * How an export reads its events, oldest first, in the export's snapshot. When `ranges` is given it runs first and
 * returns the TableRange rows that `events` is then built from (no rows: nothing matches, and there is no event query).
 */
export interface ExportQuery {
  ranges?: string;
  /** The event query, the values of its own parameters (after the selection's), and a statement to run before it. */
  events(ranges: TableRange[]): { text: string; values: string[]; before?: string } | undefined;
}

/**
 * The export's SQL for events "d" matching `conditions` (over rowtrail.event, whose `parameters` placeholders are taken).
 *
 * A time range of some or all tables, the usual audit export, reads each table with events in it along its event-id
 * index, between the lowest and highest matching event id, and merges the tables in event-id order. Event ids follow
 * the time (an event carries its statement's start, so a slow statement stretches the range a little), and the range
 * holds almost only matching rows. Without a time range every event of the tables is read the same way, the whole
 * index. Any other filter (a user, a request, operations, a record) can match a few events spread over the whole
 * history: its matching ids are sorted first, a narrow sort, and each event is read by its id. Neither way sorts or
 * holds events whole.
 */
export function exportQuery(schema: string, selection: ExportSelection, conditions: string[], parameters: number): ExportQuery {
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  if (selection.kind === 'filter' && tablesAndTimeOnly(selection.filter)) {
    const timed = selection.filter.from !== undefined || selection.filter.to !== undefined;
    return {
      ranges: timed
        // "+ 0": min() and max() of the indexed column itself were planned as walks of the event-id index from either
        // end, filtering on the time until a row matched, which read 9M rows to find the last event of an early hour
        ? `SELECT b.table_name AS table, t.snapshot_table AS "snapshotTable", b.lo, b.hi
            FROM (SELECT d.table_name, min(d.event_id + 0)::text AS lo, max(d.event_id + 0)::text AS hi
                  FROM ${eventView(schema)} d ${where} GROUP BY d.table_name) b
            JOIN ${quoteIdent(schema)}.tracked_table t ON t.table_name = b.table_name ORDER BY b.table_name`
        // every table rowtrail.event lists (those with a history table) that the table condition, if any, selects
        : `SELECT t.table_name AS table, t.snapshot_table AS "snapshotTable", NULL AS lo, NULL AS hi
            FROM ${quoteIdent(schema)}.tracked_table t CROSS JOIN LATERAL (SELECT t.table_name) d (table_name)
            WHERE ${[`to_regclass(format('%I.%I', ${quoteLiteral(schema)}::text, t.snapshot_table)) IS NOT NULL`, ...conditions].join(' AND ')}
            ORDER BY t.table_name`,
      events: (ranges) => {
        if (ranges.length === 0) return undefined;
        const values: string[] = [];
        const tableEvents = (range: TableRange, columns: string): string => {
          const inRange = range.lo === null || range.hi === null ? []
            : [`d.event_id BETWEEN $${parameters + values.push(range.lo)}::bigint AND $${parameters + values.push(range.hi)}::bigint`];
          const all = [...conditions, ...inRange];
          return `SELECT ${columns} FROM ${tableEventsFrom(schema, range)} ${all.length > 0 ? `WHERE ${all.join(' AND ')}` : ''} ORDER BY d.event_id`;
        };
        // Sorting events whole is what this query avoids: not left to estimates (a small or unanalysed table, a
        // range holding most of a table), so each table is read along its event-id index even where a sort looks cheaper
        const before = `SELECT set_config('enable_sort', 'off', true)`;
        if (ranges.length === 1) return { text: tableEvents(ranges[0], `${DIFF_EVENT_JSON} AS event`), values, before };
        // each table's events in order, merged by event id (a Merge Append of index scans)
        const merged = ranges.map((range) => `(${tableEvents(range, `d.event_id, ${DIFF_EVENT_JSON} AS event`)})`).join(' UNION ALL ');
        return { text: `SELECT e.event FROM (${merged}) e ORDER BY e.event_id`, values, before };
      },
    };
  }
  // The matching event ids first, in order (a narrow sort when a time range is read through the BRIN
  // indexes), then each event from its history table by event id.
  const ids = `SELECT d.table_name, d.event_id FROM ${eventView(schema)} d ${where} ORDER BY d.event_id`;
  return { events: () => ({ text: `SELECT ${DIFF_EVENT_JSON} AS event FROM ${eventsNamedBy(schema, ids)} ORDER BY o.event_id`, values: [] }) };
}

/** True when a filter selects by tables and time only. Only the speed depends on it: either query applies every condition. */
function tablesAndTimeOnly(filter: EventFilter): boolean {
  return Object.entries(filter).every(([name, value]) => name === 'tables' || name === 'from' || name === 'to' || isEmpty(value));
}

/** Undefined, [] or {}: a criterion filterConditions leaves out. */
const isEmpty = (value: unknown): boolean =>
  value === undefined || (Array.isArray(value) ? value.length === 0 : typeof value === 'object' && value !== null && !(value instanceof Date) && Object.keys(value).length === 0);
