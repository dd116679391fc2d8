import type pg from 'pg';
import { CAPTURE_TRIGGER_NAMES } from '../ddl/capture-ddl.js';
import { identifierName } from '../ddl/identifier-name.js';
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
  /** Number of history events of the table (exact, or estimated when eventsEstimated); null when readError. */
  events: number | null;
  /** True when events comes from the planner's statistics (pg_class.reltuples) rather than a count. */
  eventsEstimated: boolean;
  lastChangeAt: string | null;
  /**
   * Whether the table's changes are recorded now: its capture triggers (this installation's) are present and fire in
   * ordinary sessions, also on the table renamed since its install (they record under the installed name). False once
   * prune or untrack removed them, one was disabled by hand, or the table was dropped; its history stays readable.
   */
  recording: boolean;
  /**
   * Why the table's history could not be read, when it could not: the database role may not read its history table
   * (one tracked after the role's grants, say), or the history table is gone. The other tables are listed as usual.
   */
  readError?: string;
}

// a history table the role may not read, or one dropped by hand: that table's summary says so, the others are listed
const UNREADABLE_HISTORY = new Set(['42501', '42P01']);

// the triggers that record inserts, updates and deletes (the key-change and TRUNCATE captures come with them)
const RECORDING_TRIGGERS = [CAPTURE_TRIGGER_NAMES.insert, CAPTURE_TRIGGER_NAMES.update, CAPTURE_TRIGGER_NAMES.delete];
const RECORDING_FUNCTION_SUFFIXES = ['insert', 'update', 'delete'];

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
    // Found by the capture functions its triggers run, not by its name: a table renamed since its install keeps its
    // triggers, which go on recording its changes under the name it was installed with until an install moves its
    // history (docs/lifecycle.md). A partition's clones of its parent's triggers are not counted (the parent's are).
    const { rows: [{ estimate, recording }] } = await pool.query<{ estimate: number | null; recording: boolean }>(
      `SELECT (SELECT reltuples::float8 FROM pg_class WHERE oid = to_regclass($1)) AS estimate,
              (SELECT count(DISTINCT t.tgname) FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
               WHERE t.tgname = ANY($2::text[]) AND p.pronamespace = to_regnamespace($3) AND p.proname = ANY($4::text[])
                 AND t.tgparentid = 0 AND NOT (${NOT_FIRING_SQL})) = cardinality($2::text[]) AS recording`,
      [snap, RECORDING_TRIGGERS, quoteIdent(schema), RECORDING_FUNCTION_SUFFIXES.map((suffix) => identifierName(table.snapshotTable, suffix))],
    );
    // the registry's internals (retypedKey) stay out of the public shape
    const { table: name, snapshotTable, primaryKey, columns } = table;
    try {
      const estimated = estimate !== null && estimate >= exactLimit;
      const { rows: [read] } = await pool.query<{ last: string | null; n: number | null }>(
        `SELECT (SELECT ${isoTime('rowtrail_created_at')} FROM ${snap} ORDER BY rowtrail_event_id DESC LIMIT 1) AS last,
                ${estimated ? 'NULL::float8' : `(SELECT count(*)::float8 FROM ${snap})`} AS n`,
      );
      const events = estimated ? Math.round(estimate) : read.n!;
      summaries.push({ table: name, snapshotTable, primaryKey, columns, events, eventsEstimated: estimated, lastChangeAt: read.last, recording });
    } catch (error) {
      if (!UNREADABLE_HISTORY.has((error as { code?: string }).code ?? '')) throw error;
      summaries.push({ table: name, snapshotTable, primaryKey, columns, events: null, eventsEstimated: false, lastChangeAt: null, recording, readError: (error as Error).message });
    }
  }
  return summaries;
}
