import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { install } from './installer.js';

const ROWS = 100_000;
let db: TestDatabase;
const spec: TrackedTableSpec = {
  schema: 'public', table: 'item', primaryKey: ['id'], label: 'snapshot', exclude: ['api_key'], ignoreChanges: ['touched_at'],
  columns: [
    { name: 'id', type: 'integer' }, { name: 'sku', type: 'text' }, { name: 'price', type: 'numeric(10,2)' },
    { name: 'qty', type: 'integer' }, { name: 'meta', type: 'json' }, { name: 'api_key', type: 'text' }, { name: 'touched_at', type: 'timestamptz' },
  ],
};

beforeAll(async () => {
  db = await createTestDatabase('capture_bulk');
  await db.pool.query(`CREATE TABLE item (id int PRIMARY KEY, sku text, price numeric(10,2), qty int, meta json, api_key text, touched_at timestamptz)`);
  await install(db.pool, [spec]);
});
afterAll(() => db.drop());

describe('bulk writes', () => {
  it(`a ${ROWS}-row INSERT, UPDATE and DELETE each yield one event per row in one statement, secrets nowhere`, async () => {
    const insert = await db.pool.query(
      `INSERT INTO item SELECT g, 'sku-' || g, g % 100, g % 7, json_build_object('g', g), 'SECRET-' || g, now() FROM generate_series(1, ${ROWS}) g`,
    );
    expect(insert.rowCount).toBe(ROWS);
    const update = await db.pool.query(`UPDATE item SET price = price + 1, touched_at = now() + interval '1 day'`);
    expect(update.rowCount).toBe(ROWS);

    const { rows } = await db.pool.query(`SELECT operation, count(*)::int AS n, count(DISTINCT txid)::int AS txs FROM rowtrail.event GROUP BY 1 ORDER BY 1`);
    expect(rows).toEqual([{ operation: 'INSERT', n: ROWS, txs: 1 }, { operation: 'UPDATE', n: ROWS, txs: 1 }]);
    const sample = await db.pool.query(`SELECT changes FROM rowtrail.event WHERE operation = 'UPDATE' AND record_key = '{"id": 42}'`);
    expect(Object.keys(sample.rows[0].changes).sort()).toEqual(['price', 'touched_at']);
    expect(sample.rows[0].changes.price).toEqual([42, 43]);

    // json has no equality operator: compared as text; unchanged json makes no diff entry
    await db.pool.query(`UPDATE item SET meta = json_build_object('g', id) WHERE id <= 10`);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.event`)).rows[0].n).toBe(2 * ROWS);

    await db.pool.query(`DELETE FROM item WHERE id > ${ROWS / 2}`);
    const snapshots = await db.pool.query(`SELECT rowtrail_operation AS op, count(*)::int AS n FROM rowtrail.item_history GROUP BY 1 ORDER BY 1`);
    expect(snapshots.rows).toEqual([{ op: 'DELETE', n: ROWS / 2 }, { op: 'INSERT', n: ROWS }, { op: 'UPDATE', n: ROWS }]);

    // the excluded column is in no history table, and its values appear in no history row
    const columns = await db.pool.query(`SELECT table_name FROM information_schema.columns WHERE table_schema = 'rowtrail' AND column_name = 'api_key'`);
    expect(columns.rows).toEqual([]);
    const leaks = await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.event WHERE changes::text LIKE '%SECRET-%'`);
    expect(leaks.rows[0].n).toBe(0);
    const snapshotLeaks = await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.item_history h WHERE h::text LIKE '%SECRET-%'`);
    expect(snapshotLeaks.rows[0].n).toBe(0);
  });
});
