import pg from 'pg';
import type { Queryable } from '../install/database-client.js';

/** Runs fn on one connection of db (a pool is borrowed from and released). */
export async function withClient<T>(db: Queryable, fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  const pooled = typeof (db as { totalCount?: unknown }).totalCount === 'number';
  const client = pooled ? await (db as pg.Pool).connect() : (db as pg.ClientBase);
  try {
    return await fn(client);
  } finally {
    if (pooled) (client as pg.PoolClient).release();
  }
}
