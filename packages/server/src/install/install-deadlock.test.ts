// An install that changes the captures of two tables locks them one after the other; an application transaction that
// meanwhile writes them in the other order deadlocks with it, and PostgreSQL aborts one of the two (SQLSTATE 40P01).
// The install waited first, so it is the one aborted: it is run again, from nothing, and completes.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockWaitingBackend } from '../testing/lock-waiter.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { status } from '../lifecycle/status.js';
import { install } from './installer.js';
import { retryingLockConflicts } from './lock-conflict-retry.js';

let db: TestDatabase;
const withW = (table: string) => idValueSpec(table, 'text', { columns: [{ name: 'id', type: 'integer' }, { name: 'v', type: 'text' }, { name: 'w', type: 'text' }] });

beforeAll(async () => {
  db = await createTestDatabase('install_deadlock');
  for (const table of ['a', 'b']) await db.pool.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, v text, w text); INSERT INTO ${table} VALUES (1, 'x', 'x')`);
  await install(db.pool, [idValueSpec('a'), idValueSpec('b')]);
});
afterAll(() => db.drop());

describe('an install deadlocked with an application transaction', () => {
  it('is run again and completes; the application\'s transaction commits', async () => {
    const installer = new pg.Pool({ connectionString: db.url, application_name: 'rowtrail-deadlocked-installer', max: 1 });
    const app = await db.pool.connect();
    try {
      await app.query('BEGIN');
      await app.query(`UPDATE b SET v = 'app' WHERE id = 1`); // holds b
      const installing = install(installer, [withW('a'), withW('b')]); // locks a, then waits for b
      await lockWaitingBackend(db.pool, 'rowtrail-deadlocked-installer');
      // waits for a: a deadlock. PostgreSQL aborts the install's attempt (it waited first), so this write goes on
      await app.query(`UPDATE a SET v = 'app' WHERE id = 1`);
      await app.query('COMMIT');
      const result = await installing; // its next attempt, once the application's transaction is over
      expect(result.updatedTables).toEqual(['public.a', 'public.b']);
    } finally {
      app.release();
      await installer.end();
    }
    expect((await status(db.pool, [withW('a'), withW('b')])).upToDate).toBe(true);
    // both application writes recorded (b's by the capture as it was, a's by the new one)
    const { rows } = await db.pool.query(`SELECT table_name, changes FROM rowtrail.event ORDER BY event_id DESC LIMIT 2`);
    expect(rows.map((r) => [r.table_name, r.changes]).sort()).toEqual([['public.a', { v: ['x', 'app'] }], ['public.b', { v: ['x', 'app'] }]]);
  });

  it('gives up after its last attempt, saying so; passes a lock_timeout, other errors and a caller\'s client\'s errors on at once', async () => {
    let attempts = 0;
    const deadlocked = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });
    await expect(retryingLockConflicts(db.pool, async () => { attempts++; throw deadlocked(); }, [1, 1])).rejects.toThrow(/^deadlock detected \(tried 3 times, each rolled back whole: nothing was changed/);
    expect(attempts).toBe(3);
    // a lock_timeout, and any other error, at once
    for (const code of ['55P03', '42P01']) {
      attempts = 0;
      await expect(retryingLockConflicts(db.pool, async () => { attempts++; throw Object.assign(new Error('no'), { code }); }, [1, 1])).rejects.toThrow(/^no$/);
      expect(attempts).toBe(1);
    }
    // on a client the caller holds (maybe inside a transaction of its own, which the attempt's ROLLBACK ended), at once
    const client = await db.pool.connect();
    try {
      attempts = 0;
      await expect(retryingLockConflicts(client, async () => { attempts++; throw deadlocked(); }, [1, 1])).rejects.toThrow(/^deadlock detected$/);
      expect(attempts).toBe(1);
    } finally {
      client.release();
    }
  });
});
