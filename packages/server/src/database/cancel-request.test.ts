import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { sendCancelRequest } from './cancel-request.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('cancel_request');
});
afterAll(() => db?.drop());

describe('sendCancelRequest()', () => {
  it('cancels the statement a client runs, through the protocol\'s cancel request, while every pool connection is busy', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const client = await pool.connect(); // the pool's only connection: a pg_cancel_backend() through it would wait
      const sleeping = client.query('SELECT pg_sleep(30)').then(() => 'finished', (error: { code?: string }) => error.code);
      await expect.poll(async () => (await db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'SELECT pg_sleep(30)' AND state = 'active'`)).rows[0].n).toBe(1);
      sendCancelRequest(pool.options, client);
      expect(await sleeping).toBe('57014'); // query_canceled
      client.release();
    } finally {
      await pool.end();
    }
  });

  it('does nothing for a client that never connected', () => {
    expect(() => sendCancelRequest({ connectionString: db.url }, new pg.Client({ connectionString: db.url }))).not.toThrow();
  });
});
