import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import type { TrackedTableSpec } from './tracked-table-spec.js';

// PL/pgSQL caches the plan of the update capture, which joins the two
// transition tables. Planned after single-row updates, that plan was a nested
// loop, and a later bulk update on the same connection took minutes.
let db: TestDatabase;
const item: TrackedTableSpec = {
  schema: 'public', table: 'item', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'qty', type: 'integer' }],
};

beforeAll(async () => {
  db = await createTestDatabase('capture_plan_cache');
  await db.pool.query(`CREATE TABLE item (id integer PRIMARY KEY, qty integer NOT NULL)`);
  await db.pool.query(`INSERT INTO item SELECT g, 0 FROM generate_series(1, 30000) g`);
  await install(db.pool, [item]);
});
afterAll(() => db.drop());

describe('update capture plan', () => {
  it('leaves the session\'s planner settings as they were', async () => {
    const client = await db.pool.connect();
    try {
      const settings = async () => (await client.query(`SELECT current_setting('enable_nestloop') AS nestloop, current_setting('jit') AS jit`)).rows[0];
      const initial = await settings();
      await client.query('BEGIN');
      await client.query(`UPDATE item SET qty = qty + 1 WHERE id IN (1, 2, 3)`);
      expect(await settings()).toEqual(initial);
      await client.query(`SET LOCAL enable_nestloop = off`);
      await client.query(`UPDATE item SET qty = qty + 1 WHERE id IN (1, 2, 3)`);
      expect(await settings()).toEqual({ ...initial, nestloop: 'off' });
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('stays linear for a bulk update after many single-row updates on the same connection', async () => {
    const client = await db.pool.connect();
    try {
      for (let id = 1; id <= 12; id++) await client.query(`UPDATE item SET qty = qty + 1 WHERE id = $1`, [id]);
      // two-row updates plan (and cache) the join for tiny transition tables
      for (let id = 1; id <= 24; id += 2) await client.query(`UPDATE item SET qty = qty + 1 WHERE id IN ($1, $2)`, [id, id + 1]);
      // A nested loop over 30k × 30k rows takes about a minute; a hash join well under a second.
      await client.query(`SET statement_timeout = '15s'`);
      await client.query(`UPDATE item SET qty = qty + 1`);
      await client.query(`RESET statement_timeout`);
    } finally {
      client.release();
    }
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.event WHERE operation = 'UPDATE'`);
    expect(rows[0].n).toBe(12 + 24 + 30000);
  });
});
