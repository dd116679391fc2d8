import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { recordHistory } from '../query/record-history.js';
import { recordStateAt } from '../query/record-state.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { withSession } from '../testing/lone-session.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { trimHistory } from './trim-history.js';

// A key change is stored under the record's new key; for the old key it is the end of the record, as a deletion is.
let db: TestDatabase;
let cutoff: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  db = await createTestDatabase('trim_key_changes');
  await withSession(db.url, async (w) => {
    await w.query(`CREATE TABLE item (id integer PRIMARY KEY DEFERRABLE, v text)`);
    await install(w, [idValueSpec('item')]);
    await w.query(`INSERT INTO item VALUES (10, 'a'); UPDATE item SET id = 11 WHERE id = 10; UPDATE item SET v = 'b' WHERE id = 11`);
    await w.query(`INSERT INTO item VALUES (1, 'a'); UPDATE item SET id = 2 WHERE id = 1; DELETE FROM item WHERE id = 2`);
    await w.query(`INSERT INTO item VALUES (20, 'a'); UPDATE item SET id = 21 WHERE id = 20`);
    await w.query(`INSERT INTO item VALUES (30, 'x'), (31, 'y'); UPDATE item SET id = CASE id WHEN 30 THEN 31 ELSE 30 END WHERE id IN (30, 31)`);
    await w.query(`INSERT INTO item VALUES (40, 'a'); UPDATE item SET id = 41 WHERE id = 40; INSERT INTO item VALUES (40, 'again')`);
    // moved on by a second statement of the same message (same transaction and statement time): 51 ends
    await w.query(`INSERT INTO item VALUES (50, 'a'); UPDATE item SET id = 51 WHERE id = 50; UPDATE item SET id = 52 WHERE id = 51`);
    // moved up by one statement: 61 holds the row from 60
    await w.query(`INSERT INTO item VALUES (60, 'c'), (61, 'd'); UPDATE item SET id = id + 1 WHERE id IN (60, 61)`);
    await sleep(20);
    cutoff = (await w.query<{ t: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t`)).rows[0].t;
  });
});
afterAll(() => db.drop());

describe('trimHistory and key changes', () => {
  it('keeps every record as it was at the cutoff: a key changed away from is no record any more', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const state = async (id: number) => {
        const s = await recordStateAt(pool, 'item', { id }, new Date());
        return s.exists ? s.event!.snapshot : null;
      };
      const states = async () => Object.fromEntries(await Promise.all([1, 2, 10, 11, 20, 21, 30, 31, 40, 41, 50, 51, 52, 60, 61, 62].map(async (id) => [id, await state(id)])));
      const before = await states();
      expect(Object.entries(before).filter(([, s]) => s !== null).map(([id]) => Number(id))).toEqual([11, 21, 30, 31, 40, 41, 52, 61, 62]);

      const result = await withSession(db.url, (c) => trimHistory(c, { before: cutoff }));
      // kept: 11's update, 21's key change, the swap's two events, 41's key change, 40's second insert, 52's key change,
      // 61's and 62's key changes
      expect(result.tables[0]).toMatchObject({ table: 'public.item', keptLastVersions: 9, events: 13 });
      expect(await states()).toEqual(before);
      // the kept key changes still say where a record came from
      const moved = (await recordHistory(pool, 'item', { id: 21 })).events;
      expect(moved.map((e) => [e.operation, e.oldRecordKey])).toEqual([['UPDATE', { id: 20 }]]);
      const swapped = (await recordHistory(pool, 'item', { id: 30 })).events;
      expect(swapped.map((e) => [e.oldRecordKey, e.snapshot?.v])).toEqual([[{ id: 31 }, 'y']]);
      expect((await recordHistory(pool, 'item', { id: 10 })).events).toEqual([]);
      expect((await recordHistory(pool, 'item', { id: 1 })).events).toEqual([]);
    } finally {
      await pool.end();
    }
  });
});
