import pg from 'pg';

/** Test support: fn on a session (connection) of its own to the database at url, closed after it. */
export async function withSession<T>(url: string, fn: (client: pg.Client) => Promise<T>, config: pg.ClientConfig = {}): Promise<T> {
  const client = new pg.Client({ connectionString: url, ...config });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Waits (up to 5 s) until no other session is connected to the client's database: a session just closed lingers for
 * a moment, and trimHistory keeps the contexts any connected session may still use.
 */
export async function untilAlone(client: pg.ClientBase): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { rows: [{ n }] } = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`);
    if (n === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
