import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropDatabaseWhenIdle } from './drop-database.js';
import { withDatabase } from './start-database.js';

const serverUrl = inject('databaseUrl');
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
});
afterAll(() => admin.end());

async function createDatabase(): Promise<string> {
  const name = `rowtrail_test_drop_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  return name;
}
const exists = async (name: string) => (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount === 1;

describe('dropDatabaseWhenIdle', () => {
  it('lets the connections of a pool that just ended close before it drops the database, so none is terminated mid-close', async () => {
    const errors: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const name = await createDatabase();
      const pool = new pg.Pool({ connectionString: withDatabase(serverUrl, name), max: 5 });
      pool.on('error', (error) => errors.push(error)); // what would otherwise be an unhandled error
      await Promise.all([1, 2, 3, 4, 5].map(() => pool.query('SELECT pg_sleep(0.01)')));
      await pool.end(); // resolves before the connections have closed
      await dropDatabaseWhenIdle(admin, name);
      expect(await exists(name)).toBe(false);
    }
    await sleep(100);
    expect(errors).toEqual([]);
  });

  it('drops a database that a connection still holds once the wait is over', async () => {
    const name = await createDatabase();
    const leaked = new pg.Client({ connectionString: withDatabase(serverUrl, name) });
    leaked.on('error', () => undefined); // terminated by the drop, as intended
    await leaked.connect();
    await dropDatabaseWhenIdle(admin, name, 200);
    expect(await exists(name)).toBe(false);
  });
});
