// A connection lost in the middle of an install (a failover, a restarted pooler, pg_terminate_backend): the install
// fails with the connection's error, which the caller can catch, and the Node process goes on. A pooled client whose
// connection drops emits 'error', which ended the process when nobody listened.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockWaitingBackend } from '../testing/lock-waiter.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { status } from '../lifecycle/status.js';
import { install } from './installer.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('lost_connection');
  await db.pool.query(`CREATE TABLE item (id integer PRIMARY KEY, v text)`);
});
afterAll(() => db.drop());

describe('an install whose connection is lost', () => {
  it('fails with the connection\'s error, catchable, and leaves nothing half-installed; the next install completes', async () => {
    const installer = new pg.Pool({ connectionString: db.url, application_name: 'rowtrail-lost-installer', max: 2 });
    // the application's own pool handler: idle clients; the one install borrowed is Rowtrail's to guard
    installer.on('error', () => undefined);
    const holder = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE item IN ACCESS SHARE MODE'); // the install's ACCESS EXCLUSIVE lock waits behind it
      const installing = install(installer, [idValueSpec('item')]);
      const pid = await lockWaitingBackend(db.pool, 'rowtrail-lost-installer');
      await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      await expect(installing).rejects.toThrow(/terminat/i);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    // nothing of it committed; the pool still works, and the next install completes
    expect((await db.pool.query(`SELECT to_regnamespace('rowtrail') AS schema`)).rows[0].schema).toBeNull();
    await install(installer, [idValueSpec('item')]);
    expect((await status(installer, [idValueSpec('item')])).upToDate).toBe(true);
    await installer.end();
  });
});
