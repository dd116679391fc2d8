import type pg from 'pg';
import { invalidParameter } from './query-errors.js';
import type { SqlParams } from './event-sql.js';

/**
 * A watermark: the snapshot an export read its events in, as PostgreSQL writes a pg_snapshot
 * (`xmin:xmax:xip,...`). An event is in that export's snapshot exactly when its transaction had committed
 * when the snapshot was taken, whatever its time or event id, so "the events whose transaction the watermark
 * does not see" is what committed after that export: the next export of `after` it holds each event once,
 * including those of transactions that were still open at the first export (an event's time and id are
 * taken when it is written, its visibility when it commits, so neither a time nor an id can say this).
 */
export interface Watermark {
  text: string;
  xmin: bigint;
  xmax: bigint;
}

const SNAPSHOT = /^(\d{1,19}):(\d{1,19}):(\d{1,19}(?:,\d{1,19})*)?$/;
const MAX_XIP = 100_000;

/** Parses and checks a watermark, or throws a 400 naming `parameter`. */
export function parseWatermark(text: unknown, parameter = 'after'): Watermark {
  const bad = (why: string) => invalidParameter(parameter, `${why}; a watermark is the "watermark" of an earlier export's header, such as "742:745:743", got ${JSON.stringify(String(text).slice(0, 60))}`);
  if (typeof text !== 'string') throw bad('must be a string');
  const match = SNAPSHOT.exec(text);
  if (!match) throw bad('is not a watermark');
  const [xmin, xmax] = [BigInt(match[1]), BigInt(match[2])];
  const xip = match[3] === undefined ? [] : match[3].split(',').map(BigInt);
  if (xmin < 3n || xmin > xmax) throw bad('has an impossible transaction range');
  if (xip.length > MAX_XIP) throw bad(`lists more than ${MAX_XIP} open transactions`);
  for (let i = 0; i < xip.length; i++) {
    if (xip[i] < xmin || xip[i] >= xmax || (i > 0 && xip[i] <= xip[i - 1])) throw bad('lists an open transaction out of its range or order');
  }
  if (xmax > 2n ** 63n - 1n) throw bad('is out of range');
  return { text, xmin, xmax };
}

/**
 * The condition "event d's transaction is not in the watermark's snapshot". `d.txid >= xmin` is implied (a
 * transaction below xmin had ended) and lets each history table's BRIN index on (time, txid) skip the block
 * ranges written before the oldest transaction the watermark saw open.
 */
export function afterWatermarkCondition(watermark: Watermark, params: SqlParams): string {
  const snapshot = params.add(watermark.text, '::pg_snapshot');
  return `d.txid >= ${params.add(watermark.xmin.toString(), '::bigint')} AND NOT pg_visible_in_snapshot(d.txid::text::xid8, ${snapshot})`;
}

/**
 * Refuses a watermark this database has not reached yet: one from another cluster (the databases of one cluster
 * share transaction ids), from a primary a replica lags behind, or from before a restore into a new cluster (whose transaction ids start again lower). Every event would be "seen" by it,
 * and an export after it would come out empty, silently, every time.
 */
export async function requireReachedWatermark(db: Pick<pg.Pool, 'query'>, after: string | undefined, parameter = 'after'): Promise<void> {
  if (after === undefined) return;
  const watermark = parseWatermark(after, parameter);
  const { rows } = await db.query<{ next: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS next');
  if (BigInt(rows[0].next) < watermark.xmax) {
    throw invalidParameter(parameter, `watermark ${JSON.stringify(watermark.text.slice(0, 60))} is ahead of this database (its next transaction id is ${rows[0].next}): it comes from another PostgreSQL cluster, from a primary this replica has not caught up with yet, or from before this database was restored from a dump; export without "${parameter}" to start a new chain`);
  }
}

/**
 * The snapshot of the current transaction as a watermark (the export's own, for its header). On a hot standby
 * pg_current_snapshot() lists no open transactions (a standby keeps them where the function does not look), so
 * a transaction open there would count as seen, and its events would never be exported: the watermark is then
 * the snapshot's xmin alone, which counts every transaction from the oldest open one on as not seen. Nothing is
 * missed; the next export repeats the events of those that had committed (docs/export-format.md).
 */
export const CURRENT_WATERMARK_SQL = `(SELECT CASE WHEN pg_is_in_recovery() THEN pg_snapshot_xmin(s) || ':' || pg_snapshot_xmin(s) || ':' ELSE s::text END
  FROM (SELECT pg_current_snapshot()) x (s))`;
