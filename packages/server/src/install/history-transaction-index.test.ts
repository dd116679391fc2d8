import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { install } from './installer.js';

// Core version 11 replaces each history table's time BRIN index with one on (time, txid), which exports after a
// watermark read through. An upgrade builds it, or keeps the one an operator built concurrently beforehand.
let db: TestDatabase;
const item = idValueSpec('item', 'integer');
const NEW = 'rowtrail.item_history_created_at_txid_idx';

beforeAll(async () => {
  db = await createTestDatabase('history_transaction_index');
  await db.pool.query(`CREATE TABLE item (id integer PRIMARY KEY, v integer NOT NULL)`);
});
afterAll(() => db.drop());

/** The history table's BRIN indexes: name → [oid, valid]. */
const brinIndexes = async () => Object.fromEntries((await db.pool.query<{ name: string; oid: number; valid: boolean }>(
  `SELECT c.relname AS name, c.oid::int AS oid, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
   JOIN pg_am a ON a.oid = c.relam WHERE i.indrelid = 'rowtrail.item_history'::regclass AND a.amname = 'brin' ORDER BY 1`)).rows
  .map((r) => [r.name, [r.oid, r.valid]]));

/** The database as an install before version 11 left it: the time-only index, file 11 not applied, the capture older. */
async function asBeforeVersion11(): Promise<void> {
  await db.pool.query(`DROP INDEX IF EXISTS ${NEW}`);
  await db.pool.query(`CREATE INDEX IF NOT EXISTS item_history_created_at_idx ON rowtrail.item_history USING brin (rowtrail_created_at)`);
  await db.pool.query(`DELETE FROM rowtrail.migrations WHERE id = 11`);
  await db.pool.query(`UPDATE rowtrail.tracked_table SET ddl_hash = 'before version 11'`);
}

describe('upgrading to core version 11', () => {
  it('builds the (time, txid) index with the core alone, and the regenerated capture drops the time-only one', async () => {
    await install(db.pool, [item]);
    await db.pool.query(`INSERT INTO item VALUES (1, 1)`);
    await asBeforeVersion11();
    expect(Object.keys(await brinIndexes())).toEqual(['item_history_created_at_idx']);
    expect((await install(db.pool)).appliedMigrations).toEqual(['history_transaction_index']);
    expect(Object.keys(await brinIndexes())).toEqual(['item_history_created_at_idx', 'item_history_created_at_txid_idx']);
    await install(db.pool, [item]);
    expect(Object.keys(await brinIndexes())).toEqual(['item_history_created_at_txid_idx']);
  });

  it('keeps the index an operator built concurrently beforehand, and builds again one such a build left invalid', async () => {
    await asBeforeVersion11();
    await db.pool.query(`CREATE INDEX CONCURRENTLY item_history_created_at_txid_idx ON rowtrail.item_history USING brin (rowtrail_created_at, rowtrail_txid)`);
    const built = (await brinIndexes())['item_history_created_at_txid_idx'];
    await install(db.pool, [item]);
    expect(await brinIndexes()).toEqual({ item_history_created_at_txid_idx: built });

    await asBeforeVersion11();
    await db.pool.query(`CREATE INDEX CONCURRENTLY item_history_created_at_txid_idx ON rowtrail.item_history USING brin (rowtrail_created_at, rowtrail_txid)`);
    // what a CREATE INDEX CONCURRENTLY that failed (cancelled, say) leaves behind
    await db.pool.query(`UPDATE pg_index SET indisvalid = false WHERE indexrelid = '${NEW}'::regclass`);
    const invalid = (await brinIndexes())['item_history_created_at_txid_idx'];
    await install(db.pool, [item]);
    const after = (await brinIndexes())['item_history_created_at_txid_idx'];
    expect(after[0]).not.toBe(invalid[0]);
    expect(after[1]).toBe(true);
    expect(Object.keys(await brinIndexes())).toEqual(['item_history_created_at_txid_idx']);
  });
});
