import type pg from 'pg';
import { onBorrowedClient, type Queryable } from '../install/database-client.js';

/** Runs fn on one connection of db (a pool is borrowed from and released; a lost connection fails fn, never the process). */
export function withClient<T>(db: Queryable, fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  return onBorrowedClient(db, fn);
}
