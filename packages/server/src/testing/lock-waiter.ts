import type pg from 'pg';

/**
 * The backend pid of the session named `application` in `pool`'s database once it waits for a lock (test support: polls
 * pg_stat_activity). Only that database: other runs on the same server name their sessions alike, and callers terminate it.
 */
export async function lockWaitingBackend(pool: pg.Pool, application: string): Promise<number> {
  for (let i = 0; i < 400; i++) {
    const { rows } = await pool.query(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock' AND datname = current_database()`,
      [application],
    );
    if (rows.length > 0) return rows[0].pid;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${application} never waited for a lock`);
}
