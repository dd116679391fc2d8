import type pg from 'pg';

/** The backend pid of the session named `application` once it waits for a lock (test support: polls pg_stat_activity). */
export async function lockWaitingBackend(pool: pg.Pool, application: string): Promise<number> {
  for (let i = 0; i < 400; i++) {
    const { rows } = await pool.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [application]);
    if (rows.length > 0) return rows[0].pid;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${application} never waited for a lock`);
}
