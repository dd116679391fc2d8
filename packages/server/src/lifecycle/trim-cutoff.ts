import type pg from 'pg';
import { requireInstant } from '../query/iso-time.js';

const UTC_TEXT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;

/** A fault of one option, named as the caller gave it (the CLI names its flag instead). */
export class TrimOptionError extends Error {
  constructor(readonly parameter: 'before' | 'olderThan', readonly reason: string, options?: ErrorOptions) {
    super(`Rowtrail: ${parameter}: ${reason}`, options);
    this.name = 'TrimOptionError';
  }
}

/**
 * The cutoff of a trim in UTC, computed and written in one statement: a timestamptz turned into text in the session's
 * DateStyle and read back could change (an abbreviation such as CST is read as another zone). Refused when it is not
 * a time, or is after now(), which would delete every event.
 */
export async function trimCutoff(client: pg.ClientBase, options: { before?: Date | string; olderThan?: string }): Promise<string> {
  let cutoff: string;
  if (options.before !== undefined) {
    const { text } = requireInstant(options.before, 'before');
    cutoff = (await client.query<{ t: string }>(`SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', ${UTC_TEXT}) AS t`, [text])).rows[0].t;
  } else {
    const interval = String(options.olderThan).trim();
    // PostgreSQL reads a bare number as seconds: "--older-than 90" would delete all but the last 90 seconds
    if (!/[a-z]/i.test(interval)) throw new TrimOptionError('olderThan', `${JSON.stringify(options.olderThan)} has no unit: write it with one, such as '90 days' or '2 years'`);
    try {
      cutoff = (await client.query<{ t: string }>(`SELECT to_char((now() - $1::interval) AT TIME ZONE 'UTC', ${UTC_TEXT}) AS t`, [interval])).rows[0].t;
    } catch (error) {
      const code = (error as { code?: string }).code;
      // the transaction ends with the error, as it would with this one
      if (code === '22008') throw new TrimOptionError('olderThan', `${JSON.stringify(options.olderThan)} goes back before the earliest time PostgreSQL holds`, { cause: error });
      if (code === '22007' || code === '22015') throw new TrimOptionError('olderThan', `${JSON.stringify(options.olderThan)} is not a PostgreSQL interval such as '90 days' or '2 years'`, { cause: error });
      throw error;
    }
  }
  const { rows: [row] } = await client.query<{ future: boolean }>(`SELECT $1::timestamptz > now() AS future`, [cutoff]);
  if (row.future) throw new Error(`Rowtrail: trim history: the cutoff ${cutoff} is in the future, which would delete every event; nothing was deleted`);
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
    `SELECT to_char(least($1::timestamptz, min(backend_start)) AT TIME ZONE 'UTC', ${UTC_TEXT}) AS t
     FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`, [cutoff]);
  return row.t;
}
