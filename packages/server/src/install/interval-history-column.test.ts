import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { install } from './installer.js';

// An interval's fields (year to month, hour to minute) restrict its values as a size limit does; a history column
// that kept them cut every value written after the source column was widened ('1 year 2 mons 3 days' → '1 year 2 mons').
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('interval_history');
  await db.pool.query(`CREATE TABLE span (id integer PRIMARY KEY, v interval year to month)`);
});
afterAll(() => db.drop());

const typeOf = async () => (await db.pool.query(`SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'rowtrail.span_history'::regclass AND attname = 'v'`)).rows[0].t;

describe('an interval history column', () => {
  it('holds any interval, whatever fields the source column has', async () => {
    await install(db.pool, [idValueSpec('span', 'interval year to month')]);
    expect(await typeOf()).toBe('interval');
    await db.pool.query(`ALTER TABLE span ALTER COLUMN v TYPE interval`);
    await install(db.pool, [idValueSpec('span', 'interval')]);
    await db.pool.query(`INSERT INTO span VALUES (1, '1 year 2 mons 3 days 04:05:06')`);
    expect((await db.pool.query(`SELECT v::text FROM rowtrail.span_history`)).rows).toEqual([{ v: '1 year 2 mons 3 days 04:05:06' }]);
  });

  it('is widened in place, values kept, when an install made before kept the fields', async () => {
    // as an earlier version made it: the history column with the source's fields, and that capture's hash
    await db.pool.query(`ALTER TABLE rowtrail.span_history ALTER COLUMN v TYPE interval year to month; UPDATE rowtrail.tracked_table SET ddl_hash = 'earlier'`);
    expect(await typeOf()).toBe('interval year to month');
    const result = await install(db.pool, [idValueSpec('span', 'interval')]);
    expect(result.updatedTables).toEqual(['public.span']);
    expect(await typeOf()).toBe('interval');
    await db.pool.query(`UPDATE span SET v = '5 days 06:07' WHERE id = 1`);
    expect((await db.pool.query(`SELECT v::text FROM rowtrail.span_history ORDER BY rowtrail_event_id`)).rows.map((r) => r.v)).toEqual(['1 year 2 mons', '5 days 06:07:00']);
  });
});
