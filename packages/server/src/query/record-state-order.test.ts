// A statement that waits for another transaction's row lock changes the record after that transaction's change,
// though it started first: its history row is stamped when its capture runs, so a record's versions are stamped in
// the order they were made, and the state at an instant never holds a change stamped after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { recordHistory } from './record-history.js';
import { recordStateAt } from './record-state.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('record_state_order');
  await db.pool.query(`CREATE TABLE item (id integer PRIMARY KEY, v text)`);
  await install(db.pool, [idValueSpec('item')]);
  await db.pool.query(`INSERT INTO item VALUES (1, 'first')`);
});
afterAll(() => db.drop());

describe('two transactions changing one record, the later one to commit having started first', () => {
  it('are stamped in the order of their changes, and the state at the first one\'s time is its version', async () => {
    const waiting = await db.pool.connect();
    const holding = await db.pool.connect();
    try {
      // starts first, reads the row, sleeps in its WHERE, then waits for the lock the other transaction holds
      const late = waiting.query(`UPDATE item SET v = 'started first' WHERE id = 1 AND pg_sleep(0.3) IS NOT NULL`);
      await new Promise((r) => setTimeout(r, 100));
      await holding.query(`BEGIN; UPDATE item SET v = 'committed first' WHERE id = 1`);
      await new Promise((r) => setTimeout(r, 400));
      await holding.query('COMMIT');
      await late;
    } finally {
      waiting.release();
      holding.release();
    }
    const { events } = await recordHistory(db.pool, 'item', { id: 1 }, { order: 'asc' });
    expect(events.map((e) => e.changes)).toEqual([{ id: 1, v: 'first' }, { v: ['first', 'committed first'] }, { v: ['committed first', 'started first'] }]);
    const times = events.map((e) => new Date(e.createdAt).getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const state = await recordStateAt(db.pool, 'item', { id: 1 }, events[1].createdAt);
    expect(state.event?.changes).toEqual({ v: ['first', 'committed first'] });
  });
});
