import type pg from 'pg';
import { z } from 'zod';
import { isoTime } from '../query/event-sql.js';
import { requireInstant } from '../query/iso-time.js';
import { RowtrailQueryError } from '../query/query-errors.js';
import { checkOptions } from '../option-kinds.js';

export interface TrimHistoryOptions {
  /** Rowtrail schema. Default "rowtrail". */
  schema?: string;
  /** Events before this instant are deleted (a Date, or ISO 8601; no offset means UTC). Give this or olderThan. */
  before?: Date | string;
  /** Events older than this PostgreSQL interval with its unit ('90 days', '2 years'), counted back from the database's now(). */
  olderThan?: string;
  /**
   * Tables ("schema.table", or "table" in public) whose history is trimmed. Default: every history table of the
   * schema, those a generated migration's down left without a registry row included.
   */
  tables?: string[];
  /** Why, recorded in the maintenance log after what was deleted. */
  reason?: string;
  /** true: count what would be deleted (the trim runs and is rolled back) and change nothing. Default false: delete. */
  dryRun?: boolean;
}

/** A trim option that cannot be used, named as the caller gave it (the CLI names its flag instead). */
export class TrimOptionError extends Error {
  constructor(readonly parameter: string, readonly reason: string, options?: ErrorOptions) {
    super(`Rowtrail: trim history: ${parameter}: ${reason}`, options);
    this.name = 'TrimOptionError';
  }
}

const OPTION_KINDS = {
  schema: [z.string(), 'a string'],
  before: [z.union([z.date(), z.string()]), 'a Date or an ISO 8601 string'],
  olderThan: [z.string(), "a string such as '90 days'"],
  tables: [z.array(z.string()), 'an array of table names such as ["public.account"]'],
  reason: [z.string(), 'a string'],
  dryRun: [z.boolean(), 'true or false'],
} as const satisfies Record<keyof TrimHistoryOptions, readonly [z.ZodType, string]>;

/**
 * The options when each has the kind of value it takes: a misspelt `table` (which would trim every table) or a
 * `dryRun: 'false'` from a configuration file (a string: a deletion reported that never ran, or the other way round)
 * is refused, naming it, before anything runs.
 */
export function requireTrimOptions(options: unknown): asserts options is TrimHistoryOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TrimOptionError('options', 'must be an object such as { olderThan: \'2 years\' }');
  checkOptions(options, OPTION_KINDS, (name, reason) => new TrimOptionError(name, reason.replace(/^is not an option/, 'is not an option of trimHistory')));
  const { before, olderThan } = options as TrimHistoryOptions;
  // "cutoff": the two options that give it, one of which must be given
  if (before !== undefined && olderThan !== undefined) throw new TrimOptionError('cutoff', 'give one of before and olderThan, not both');
  if (before === undefined && olderThan === undefined) throw new TrimOptionError('cutoff', 'give one of before and olderThan');
}

/**
 * The cutoff of a trim in UTC, computed and written in one statement: a timestamptz turned into text in the session's
 * DateStyle and read back could change (an abbreviation such as CST is read as another zone). Refused when it is not
 * a time, or is after now(), which would delete every event.
 */
export async function trimCutoff(client: pg.ClientBase, options: TrimHistoryOptions): Promise<string> {
  let cutoff: string;
  const parameter = options.before !== undefined ? 'before' : 'olderThan';
  if (options.before !== undefined) {
    let text: string;
    try {
      ({ text } = requireInstant(options.before, 'before'));
    } catch (error) {
      if (!(error instanceof RowtrailQueryError)) throw error;
      throw new TrimOptionError('before', error.message.slice('before: '.length), { cause: error });
    }
    cutoff = (await client.query<{ t: string }>(`SELECT ${isoTime('$1::timestamptz')} AS t`, [text])).rows[0].t;
  } else {
    const interval = String(options.olderThan).trim();
    // PostgreSQL reads a bare number as seconds: "--older-than 90" would delete all but the last 90 seconds
    if (!/[a-z]/i.test(interval)) throw new TrimOptionError('olderThan', `${JSON.stringify(options.olderThan)} has no unit: write it with one, such as '90 days' or '2 years'`);
    try {
      cutoff = (await client.query<{ t: string }>(`SELECT ${isoTime('(now() - $1::interval)')} AS t`, [interval])).rows[0].t;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // the transaction ends with the error, as it would with this one
      if (code === '22008') throw new TrimOptionError('olderThan', `${JSON.stringify(options.olderThan)} goes back before the earliest time PostgreSQL holds`, { cause: error });
      if (code === '22007' || code === '22015') throw new TrimOptionError('olderThan', `${JSON.stringify(options.olderThan)} is not a PostgreSQL interval such as '90 days' or '2 years'`, { cause: error });
      throw error;
    }
  }
  const { rows: [row] } = await client.query<{ future: boolean }>(`SELECT $1::timestamptz > now() AS future`, [cutoff]);
  if (row.future) throw new TrimOptionError(parameter, `the cutoff ${cutoff} is in the future, which would delete every event; nothing was deleted`);
  return cutoff;
}

/**
 * The time before which context rows may go: the cutoff, or the start of the oldest session now connected to the
 * database if that is earlier. A session that stored a context counts it as stored for its later transactions, so
 * deleting a row it stored would leave its next events (of a job running across the cutoff, of a request in flight)
 * without their context. (Sessions of other roles whose start pg_stat_activity hides from this one are not counted.)
 */
export async function contextCutoff(client: pg.ClientBase, cutoff: string): Promise<string> {
  const { rows: [row] } = await client.query<{ t: string }>(
    `SELECT ${isoTime('least($1::timestamptz, min(backend_start))')} AS t
     FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`, [cutoff]);
  return row.t;
}
