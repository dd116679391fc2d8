import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { dropDatabaseWhenIdle } from '../database/drop-database.js';
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
  // drop() terminates connections that are still closing after a short wait; that is expected at teardown
  pool.on('error', () => undefined);
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await dropDatabaseWhenIdle(client, name);
      } finally {
        await client.end();
      }
    },
  };
}
