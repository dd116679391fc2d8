import { isPool, type Queryable } from './database-client.js';

/** Waits before each new attempt (each with jitter): about 4 s in all, then the last error is thrown. */
export const LOCK_CONFLICT_DELAYS_MS = [250, 500, 1000, 2000];

/**
 * Runs a transaction that takes tables' locks (an install, untrack, uninstall or prune) on `db` again when PostgreSQL
 * aborted it to end a deadlock (40P01): an application transaction that writes two tracked tables in another order than
 * the one it takes their locks in deadlocks with it, and the one that waited first, usually the install, is aborted.
 * Each attempt is one transaction, rolled back whole, so a new one starts from nothing. Only on a pool, whose connection
 * the transaction is alone on: on a client the caller gave, a transaction of the caller's own would have been rolled back
 * with it. A lock_timeout (55P03) is not retried: the caller set it to fail rather than wait (and the event view's
 * 5-second wait for a running export would only wait again). The last error says how often it tried.
 */
export async function retryingLockConflicts<T>(db: Queryable, attempt: () => Promise<T>, delaysMs: readonly number[] = LOCK_CONFLICT_DELAYS_MS): Promise<T> {
  const retries = isPool(db) ? delaysMs : [];
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if ((error as { code?: unknown }).code !== '40P01' || retries.length === 0) throw error;
      if (tried > retries.length) {
        if (error instanceof Error) error.message += ` (tried ${tried} times, each rolled back whole: nothing was changed; run it again when the tables are quieter)`;
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, retries[tried - 1] * (0.5 + Math.random())));
    }
  }
}
