import type pg from 'pg';
import { CAPTURE_TRIGGER_NAMES } from '../ddl/capture-ddl.js';
import { qualified, quoteIdent } from '../ddl/quote.js';
import { NOT_FIRING_SQL } from '../lifecycle/disabled-triggers.js';
import { isoTime } from './event-sql.js';
import { invalidParameter } from './query-errors.js';
import { loadRegistry, schemaOf, type QueryOptions } from './tracked-table-registry.js';

export interface TrackedTableSummary {
  table: string;
  snapshotTable: string;
  primaryKey: string[];
  columns: { name: string; type: string }[];
  /** Number of history events of the table (exact, or estimated when eventsEstimated). */
  events: number;
  /** True when events comes from the planner's statistics (pg_class.reltuples) rather than a count. */
  eventsEstimated: boolean;
  lastChangeAt: string | null;
  /**
   * Whether the table's changes are recorded now: its capture triggers (this installation's) are present and fire in
   * ordinary sessions. False once prune or untrack removed them, or one was disabled by hand; its history stays readable.
   */
  recording: boolean;
}

// the triggers that record inserts, updates and deletes (the key-change and TRUNCATE captures come with them)
const RECORDING_TRIGGERS = [CAPTURE_TRIGGER_NAMES.insert, CAPTURE_TRIGGER_NAMES.update, CAPTURE_TRIGGER_NAMES.delete];

/** Above this many rows (by the planner's estimate) events are estimated rather than counted. */
export const EXACT_COUNT_LIMIT = 100_000;

/**
 * Tracked tables with their event counts and last change. Each table's snapshot
 * table holds exactly one row per event, so its statistics give a cheap
 * estimate; small or never-analysed tables are counted exactly. The last change
 * comes from the newest event id (an index lookup).
 */
export async function trackedTablesSummary(pool: pg.Pool, options: QueryOptions & { exactCountLimit?: number } = {}): Promise<TrackedTableSummary[]> {
  const schema = schemaOf(options);
  const exactLimit = options.exactCountLimit ?? EXACT_COUNT_LIMIT;
  if (!(exactLimit === Infinity || (Number.isSafeInteger(exactLimit) && exactLimit >= 0))) {
    throw invalidParameter('exactCountLimit', `must be a whole number of rows, 0 or more (or Infinity to always count), got ${typeof exactLimit === 'number' ? String(exactLimit) : JSON.stringify(exactLimit)}`);
  }
  // read again, not the cached registry: a table installed a moment ago is listed
  const registry = await loadRegistry(pool, options, [], { fresh: true });
  const summaries: TrackedTableSummary[] = [];
  for (const table of registry.values()) {
    const snap = qualified(schema, table.snapshotTable);
    const dot = table.table.indexOf('.');
    const { rows } = await pool.query<{ estimate: number | null; last: string | null; recording: boolean }>(
      `SELECT (SELECT reltuples::float8 FROM pg_class WHERE oid = to_regclass($1)) AS estimate,
              (SELECT ${isoTime('rowtrail_created_at')} FROM ${snap} ORDER BY rowtrail_event_id DESC LIMIT 1) AS last,
              (SELECT count(*) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
               WHERE t.tgrelid = to_regclass($2) AND t.tgname = ANY($3::text[]) AND p.pronamespace = to_regnamespace($4)
                 AND NOT (${NOT_FIRING_SQL})) = cardinality($3::text[]) AS recording`,
      [snap, qualified(table.table.slice(0, dot), table.table.slice(dot + 1)), RECORDING_TRIGGERS, quoteIdent(schema)],
    );
    const estimate = rows[0].estimate;
    let events: number;
    let eventsEstimated = false;
    if (estimate !== null && estimate >= exactLimit) {
      events = Math.round(estimate);
      eventsEstimated = true;
    } else {
      events = (await pool.query<{ n: number }>(`SELECT count(*)::float8 AS n FROM ${snap}`)).rows[0].n;
    }
    // the registry's internals (retypedKey) stay out of the public shape
    const { table: name, snapshotTable, primaryKey, columns } = table;
    summaries.push({ table: name, snapshotTable, primaryKey, columns, events, eventsEstimated, lastChangeAt: rows[0].last, recording: rows[0].recording });
  }
  return summaries;
}
