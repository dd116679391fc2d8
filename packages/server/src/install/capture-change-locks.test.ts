// A capture change (an install or generated migration that regenerates a table's capture) locks the tracked table
// before its history table, as a write does: the other order deadlocked with writes arriving while it waited.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { install } from './installer.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('capture_change_locks');
  await db.pool.query(`CREATE TABLE meter (id integer PRIMARY KEY, v text); INSERT INTO meter VALUES (1, 'a')`);
  await install(db.pool, [idValueSpec('meter')]);
});
afterAll(() => db.drop());

const waitingForMeter = async () =>
  (await db.pool.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'meter'::regclass`)).rows[0].n;

describe('a capture change while the application writes', () => {
  it('waits for a transaction that read the table and then writes it, instead of deadlocking with it', async () => {
    const writer = new pg.Client({ connectionString: db.url });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      await writer.query('SELECT count(*) FROM meter');
      // another label: another capture, installed again
      const installing = install(db.pool, [idValueSpec('meter', 'text', { label: 'meter' })]).then(() => 'installed', (e: Error) => e.message);
      for (let i = 0; i < 100 && await waitingForMeter() === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await waitingForMeter()).toBe(1);
      await writer.query(`UPDATE meter SET v = 'b' WHERE id = 1`); // its capture writes to the history table
      await writer.query('COMMIT');
      expect(await installing).toBe('installed');
    } finally {
      await writer.end();
    }
    const { rows } = await db.pool.query(`SELECT rowtrail_operation AS op, rowtrail_label AS label FROM rowtrail.meter_history ORDER BY rowtrail_event_id`);
    expect(rows).toEqual([{ op: 'UPDATE', label: 'snapshot' }]);
  });
});
