import type pg from 'pg';
import Cursor from 'pg-cursor';
import { encodeCursor, type Page } from './event-cursor.js';
import type { EventRow, JsonCodec } from './event-rows.js';

/**
 * The most bytes of event JSON one page holds by default (8 MiB, as much as an export reads at a time). A page of
 * 1000 events of a few MB each (a table of documents) took over a gigabyte to build, and a few at once could end the
 * process: a page ends early instead, with a nextCursor as usual. Its first event comes whatever its size.
 */
export const PAGE_BYTES = 8 * 1024 * 1024;

/** A page's SELECT: EventRow columns in list order, continuing after event `after` (none: from the start), at most `rows` rows. */
export type PageQueryBuilder = (after: string | undefined, rows: number) => { text: string; values: unknown[] };

/** Validates a page byte budget (maxPageBytes). */
export function pageBytes(maxPageBytes: number | undefined): number {
  if (maxPageBytes === undefined) return PAGE_BYTES;
  if (!Number.isSafeInteger(maxPageBytes) || maxPageBytes < 1) {
    throw new Error(`Rowtrail: maxPageBytes must be a positive integer (bytes of event JSON per page), got ${String(maxPageBytes)}`);
  }
  return maxPageBytes;
}

interface MeasuredRow extends Omit<EventRow, 'event'> {
  /** Bytes of the event's JSON text (int8 as text). */
  size: string;
  /** Null when the event is larger than the query's cap (its size says how large). */
  event: string | null;
}

/**
 * A page's rows with the size of each event, measured where it is built, and its text only up to `cap` bytes (null:
 * no cap): a read of n rows brings at most n × cap bytes. The measured subquery keeps the page query's order (a plain
 * scan of an ordered subquery) and builds each event once (the subquery has a LIMIT, so it is not merged into this one).
 */
function measured(query: { text: string; values: unknown[] }, cap: number | null): { text: string; values: unknown[] } {
  const capParam = `$${query.values.length + 1}::bigint`;
  return {
    text: `SELECT m.event_id, m.record_key, m.size::text AS size, CASE WHEN ${capParam} IS NULL OR m.size <= ${capParam} THEN m.event END AS event
      FROM (SELECT p.event_id, p.record_key, p.event, octet_length(p.event)::bigint AS size FROM (${query.text}) p) m`,
    values: [...query.values, cap],
  };
}

/** Rows per read when nothing is known of the events' sizes: a read brings at most the budget (cap = budget / this). */
const READ_ROWS = 256;

/**
 * Reads one page of at most `limit` events and at most `maxBytes` bytes of event JSON (always at least one event, so
 * paging moves on), never fetching more than the budget: every read says how large each event is, and brings the
 * text only of events below a cap that keeps the read within the budget. The page ends short of `limit` with a
 * nextCursor when the next event would pass the budget.
 */
export async function readBudgetedPage<E>(
  pool: pg.Pool, build: PageQueryBuilder, page: { after: string | undefined; limit: number; maxBytes: number }, codec: JsonCodec<E>,
): Promise<Page<E>> {
  const { limit, maxBytes } = page;
  const rows: EventRow[] = [];
  let after = page.after;
  let used = 0;
  let largest = 0;
  let more = false;
  const finish = (hasMore: boolean): Page<E> =>
    ({ events: rows.map((row) => codec.event(row)), nextCursor: hasMore ? encodeCursor(rows[rows.length - 1].event_id) : null });
  const take = (row: MeasuredRow) => {
    const size = Number(row.size);
    rows.push({ event_id: row.event_id, record_key: row.record_key, event: row.event! });
    used += size;
    largest = Math.max(largest, size);
    after = row.event_id;
  };
  // First one statement, each event's text only up to an even share of the budget: most pages come whole from it.
  const firstQuery = measured(build(after, limit + 1), Math.max(1, Math.floor(maxBytes / (limit + 1))));
  const first = await pool.query<MeasuredRow>(firstQuery.text, firstQuery.values);
  for (const row of first.rows) {
    if (rows.length === limit || (rows.length > 0 && used + Number(row.size) > maxBytes)) return finish(true);
    if (row.event === null) break; // larger than its share: read on, from the events before it, below
    take(row);
  }
  if (rows.length === first.rows.length) return finish(false);
  // An event larger than its share, with room left for it (or the page's first): read alone, whatever its size when it
  // is the first, and the rest from a cursor after it, in reads of as many events as fit what is left at the read's cap.
  const client = await pool.connect();
  let failed: Error | undefined;
  try {
    let largeNext = true;
    reading: for (;;) {
      if (largeNext) {
        const alone = measured(build(after, 1), rows.length === 0 ? null : maxBytes - used);
        const { rows: [next] } = await client.query<MeasuredRow>(alone.text, alone.values);
        if (!next) break; // removed meanwhile (maintenance), and nothing after it
        if (next.event === null) {
          more = true; // grown past the budget meanwhile (another event now comes next)
          break;
        }
        take(next);
        largeNext = false;
      }
      const wanted = limit - rows.length + 1; // one more than the page needs tells whether it is the last
      const left = maxBytes - used;
      // events up to twice the largest so far come in the reads; a larger one is read alone (above)
      const cap = Math.max(1, Math.min(Math.max(Math.floor(maxBytes / READ_ROWS), 2 * largest), left > 0 ? left : maxBytes));
      const query = measured(build(after, wanted), cap);
      const cursor = client.query(new Cursor<MeasuredRow>(query.text, query.values));
      try {
        for (;;) {
          const asked = Math.max(1, Math.min(wanted, Math.floor((maxBytes - used) / cap)));
          const batch = await cursor.read(asked);
          for (const row of batch) {
            if (rows.length === limit || (rows.length > 0 && used + Number(row.size) > maxBytes)) {
              more = true;
              break reading;
            }
            if (row.event === null) {
              largeNext = true;
              break;
            }
            take(row);
          }
          if (largeNext) break;
          if (batch.length < asked) break reading; // the list's end
        }
      } finally {
        await cursor.close().catch(() => undefined);
      }
    }
  } catch (error) {
    failed = error as Error;
    throw error;
  } finally {
    client.release(failed);
  }
  return finish(more);
}
