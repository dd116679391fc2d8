import type pg from 'pg';

export interface SentQuery { text: string; values?: unknown[] }

/**
 * A pool that records the statements sent through it and passes them on to `pool`.
 * A distinct object, so the query API's per-pool caches start empty for it.
 */
export function recordingPool(pool: pg.Pool): { pool: pg.Pool; sent: SentQuery[] } {
  const sent: SentQuery[] = [];
  const recording = Object.create(pool) as pg.Pool;
  recording.query = ((text: string, values?: unknown[]) => {
    sent.push({ text, values });
    return pool.query(text, values);
  }) as pg.Pool['query'];
  return { pool: recording, sent };
}
