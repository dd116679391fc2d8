import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { withDatabase } from '../database/start-database.js';

export interface TestDatabase {
  /** Connection string of this test file's own database. */
  url: string;
  /** A plain pool on it (no Rowtrail context), for arranging and inspecting. */
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** Creates an isolated database for one test file; drop() removes it. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const serverUrl = inject('databaseUrl');
  const name = `rowtrail_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  // DROP DATABASE … WITH (FORCE) terminates connections that are still closing; that is expected at teardown
  pool.on('error', () => undefined);
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        // pool.end() resolves before its connections have closed: give them a moment, because a pool of the
        // test's own (one without an 'error' listener) crashes the run when FORCE terminates a closing one.
        for (let i = 0; i < 100; i++) {
          const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name]);
          if (rows[0].n === 0) break;
          await sleep(20);
        }
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
