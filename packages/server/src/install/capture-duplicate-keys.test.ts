import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { inTransaction } from './database-client.js';
import { install } from './installer.js';

// A multi-row update pairs old and new rows by key. When two rows share a key inside a transaction (a
// primary key checked only at commit, or a key the database does not enforce), pairing by key would record
// each row with the other's versions: the capture then pairs them by their position in the transition tables.
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('capture_duplicate_keys');
  await db.pool.query(`CREATE TABLE slot (id integer PRIMARY KEY DEFERRABLE INITIALLY DEFERRED, v text)`);
  await db.pool.query(`CREATE TABLE loose (id integer NOT NULL, v text)`); // no constraint in the database
  // keys that may be NULL: a unique index allows NULLs, and so does a key the database does not know
  await db.pool.query(`CREATE TABLE code_unique (id integer UNIQUE, v text)`);
  await db.pool.query(`CREATE TABLE code_loose (id integer, v text)`);
  await install(db.pool, [idValueSpec('slot'), idValueSpec('loose'), idValueSpec('code_unique'), idValueSpec('code_loose')]);
  await db.pool.query(`INSERT INTO slot VALUES (1, 'a'), (2, 'b'), (3, 'c')`);
  await db.pool.query(`INSERT INTO loose VALUES (1, 'a'), (2, 'b'), (3, 'c')`);
});
afterAll(() => db.drop());

async function eventsSince(mark: string, table: string) {
  const { rows } = await db.pool.query(
    `SELECT record_key AS key, old_record_key AS old, changes FROM rowtrail.event WHERE event_id > $1 AND table_name = $2 ORDER BY event_id`, [mark, table]);
  return rows;
}
const mark = async (): Promise<string> => (await db.pool.query(`SELECT coalesce(max(event_id), 0) AS m FROM rowtrail.event`)).rows[0].m;

/** Runs statements in one transaction (rolled back when one fails). */
const inOneTransaction = (statements: string[]) => inTransaction(db.pool, async (client) => {
  for (const sql of statements) await client.query(sql);
});

describe('keys shared by several rows inside a transaction', () => {
  it('records a multi-row update of rows that share a deferred primary key, each with its own versions', async () => {
    const before = await mark();
    await inOneTransaction([
      `UPDATE slot SET id = 2 WHERE id = 1`,
      `UPDATE slot SET v = v || '!' WHERE id IN (2, 3)`,
      `UPDATE slot SET id = 1 WHERE v = 'a!'`,
      `UPDATE slot SET v = rtrim(v, '!')`,
    ]);
    const events = await eventsSince(before, 'public.slot');
    expect(events[0]).toEqual({ key: { id: 2 }, old: { id: 1 }, changes: { id: [1, 2] } });
    expect(sorted(events.slice(1, 4))).toEqual(sorted([
      { key: { id: 2 }, old: null, changes: { v: ['a', 'a!'] } },
      { key: { id: 2 }, old: null, changes: { v: ['b', 'b!'] } },
      { key: { id: 3 }, old: null, changes: { v: ['c', 'c!'] } },
    ]));
    expect(events[4]).toEqual({ key: { id: 1 }, old: { id: 2 }, changes: { id: [2, 1] } });
    expect(sorted(events.slice(5))).toEqual(sorted([1, 2, 3].map((id) => ({ key: { id }, old: null, changes: { v: [`${'abc'[id - 1]}!`, 'abc'[id - 1]] } }))));
    expect((await db.pool.query(`SELECT id, v FROM slot ORDER BY id`)).rows).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 3, v: 'c' }]);
  });

  it('records the same changes made one statement per row, each with its own versions', async () => {
    const before = await mark();
    await inOneTransaction([
      `UPDATE slot SET id = 2 WHERE id = 1`,
      `UPDATE slot SET v = v || '!' WHERE id = 2 AND v = 'a'`,
      `UPDATE slot SET v = v || '!' WHERE id = 2 AND v = 'b'`,
      `UPDATE slot SET id = 1 WHERE v = 'a!'`,
    ]);
    expect(await eventsSince(before, 'public.slot')).toEqual([
      { key: { id: 2 }, old: { id: 1 }, changes: { id: [1, 2] } },
      { key: { id: 2 }, old: null, changes: { v: ['a', 'a!'] } },
      { key: { id: 2 }, old: null, changes: { v: ['b', 'b!'] } },
      { key: { id: 1 }, old: { id: 2 }, changes: { id: [2, 1] } },
    ]);
  });

  it('pairs a multi-row update by key when no two rows share one, with or without a constraint', async () => {
    const before = await mark();
    await db.pool.query(`UPDATE slot SET v = upper(v)`);
    await db.pool.query(`UPDATE loose SET v = upper(v) WHERE id IN (1, 2)`);
    const byKey = (events: Array<{ key: { id: number }; changes: unknown }>) => events.map((e) => [e.key.id, e.changes]).sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(byKey(await eventsSince(before, 'public.slot'))).toEqual([[1, { v: ['a!', 'A!'] }], [2, { v: ['b!', 'B!'] }], [3, { v: ['c', 'C'] }]]);
    expect(byKey(await eventsSince(before, 'public.loose'))).toEqual([[1, { v: ['a', 'A'] }], [2, { v: ['b', 'B'] }]]);
  });

  it('records a multi-row update of rows that share a key the database does not enforce', async () => {
    await db.pool.query(`INSERT INTO loose VALUES (3, 'c again')`);
    const before = await mark();
    await db.pool.query(`UPDATE loose SET v = v || '!' WHERE id = 3`);
    expect(sorted(await eventsSince(before, 'public.loose'))).toEqual(sorted([
      { key: { id: 3 }, old: null, changes: { v: ['c', 'c!'] } },
      { key: { id: 3 }, old: null, changes: { v: ['c again', 'c again!'] } },
    ]));
  });

  it('records every row of a multi-row update when the key of one is NULL (NULL = NULL would leave it out of a pairing by key)', async () => {
    for (const table of ['code_unique', 'code_loose']) {
      await db.pool.query(`INSERT INTO ${table} VALUES (1, 'a'), (NULL, 'n'), (2, 'b')`);
      const before = await mark();
      await db.pool.query(`UPDATE ${table} SET v = v || '!'`);
      expect(sorted(await eventsSince(before, `public.${table}`)), table).toEqual(sorted([
        { key: { id: 1 }, old: null, changes: { v: ['a', 'a!'] } },
        { key: { id: null }, old: null, changes: { v: ['n', 'n!'] } },
        { key: { id: 2 }, old: null, changes: { v: ['b', 'b!'] } },
      ]));
    }
  });
});

/** Events of one statement in a stable order (a statement's rows get their event ids in no particular order). */
const sorted = (events: unknown[]) => events.map((e) => JSON.stringify(e)).sort();
