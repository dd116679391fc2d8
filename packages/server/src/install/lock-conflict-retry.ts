/** SQLSTATEs of a lost lock conflict: deadlock_detected, lock_not_available (the session's lock_timeout). */
const LOCK_CONFLICTS = new Set(['40P01', '55P03']);
/** Waits before each new attempt (each with jitter): about 4 s in all, then the last error is thrown. */
export const LOCK_CONFLICT_DELAYS_MS = [250, 500, 1000, 2000];

/**
 * Runs a transaction that takes tables' locks (an install, untrack, uninstall or prune), again when it lost a lock
 * conflict: an application transaction that writes two tracked tables in another order than the one it takes their
 * locks in deadlocks with it, and PostgreSQL aborts one of the two; with `lock_timeout` set, it gives up waiting. Each
 * attempt is one transaction, rolled back whole, so a new one starts from nothing. The last error says how often it tried.
 */
export async function retryingLockConflicts<T>(attempt: () => Promise<T>, delaysMs: readonly number[] = LOCK_CONFLICT_DELAYS_MS): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' || !LOCK_CONFLICTS.has(code)) throw error;
      if (tried > delaysMs.length) {
        if (error instanceof Error) error.message += ` (tried ${tried} times, each rolled back whole: nothing was changed; run it again when the tables are quieter)`;
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delaysMs[tried - 1] * (0.5 + Math.random())));
    }
  }
}
