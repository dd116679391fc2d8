import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { quoteIdent } from '../ddl/quote.js';

/**
 * Drops a database over `admin`, a connection to another database of the server. It first waits (at most
 * `waitMs`) for the connections still on it to close, then drops it WITH (FORCE): pool.end() resolves before
 * its connections have closed, and a pool without an 'error' listener whose closing connection FORCE
 * terminates throws an unhandled error (which fails a whole test run).
 */
export async function dropDatabaseWhenIdle(admin: pg.Client, name: string, waitMs = 2000): Promise<void> {
  for (const started = Date.now(); Date.now() - started < waitMs; await sleep(20)) {
    const { rows } = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name]);
    if (rows[0].n === 0) break;
  }
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}
