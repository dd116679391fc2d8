// A statement that changes a row and then, through ON UPDATE CASCADE, its key: PostgreSQL fires the key-change trigger
// (row-level) for the cascade before the statement trigger that records the statement's own change, so that change
// would be recorded after the key change, under the key the row had left (history would show the record still there).
// Event ids cannot be renumbered: the capture refuses the statement instead. What it must not refuse: the reverse order
// (a key change, then a cascade's update of the row at its new key), and later statements of the same transaction that
// write a new row at a key a record left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { recordStateAt } from '../query/record-state.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { install } from './installer.js';

let db: TestDatabase;
const table = (name: string, columns: Array<[string, string]>, primaryKey: string[]): TrackedTableSpec => ({
  schema: 'public', table: name, primaryKey, label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: columns.map(([n, type]) => ({ name: n, type })),
});
const parent = table('parent', [['id', 'integer']], ['id']);
const line = table('line', [['order_id', 'integer'], ['line_no', 'integer'], ['qty', 'integer']], ['order_id', 'line_no']);
const node = table('node', [['id', 'integer'], ['parent_id', 'integer'], ['name', 'text']], ['id']);
const seat = table('seat', [['hall', 'text'], ['seat_no', 'integer'], ['guest', 'text']], ['hall', 'seat_no']);

beforeAll(async () => {
  db = await createTestDatabase('capture_key_change_order');
  await db.pool.query(`CREATE TABLE parent (id integer PRIMARY KEY)`);
  await db.pool.query(`CREATE TABLE line (order_id integer REFERENCES parent (id) ON UPDATE CASCADE, line_no integer, qty integer, PRIMARY KEY (order_id, line_no))`);
  await db.pool.query(`CREATE TABLE node (id integer PRIMARY KEY, parent_id integer REFERENCES node (id) ON UPDATE CASCADE, name text)`);
  await db.pool.query(`CREATE TABLE seat (hall text, seat_no integer, guest text, PRIMARY KEY (hall, seat_no) DEFERRABLE INITIALLY IMMEDIATE)`);
  await install(db.pool, [parent, line, node, seat]);
  // a user's trigger whose own statement moves a line to another key (it runs, and records, before the statement trigger of
  // an update of line in a writable CTE of the statement that fired it)
  await db.pool.query(`CREATE TABLE renumber (order_id integer, from_no integer, to_no integer)`);
  await db.pool.query(`CREATE FUNCTION renumber_line() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN UPDATE line SET line_no = NEW.to_no WHERE order_id = NEW.order_id AND line_no = NEW.from_no; RETURN NULL; END $$`);
  await db.pool.query(`CREATE TRIGGER renumber_line AFTER INSERT ON renumber FOR EACH ROW EXECUTE FUNCTION renumber_line()`);
});
afterAll(() => db.drop());

const REFUSED = /^Rowtrail: update of tracked table public\.line refused: the same statement changed the row at key \{"line_no": \d+, "order_id": \d+\} and then moved it to another key/;

async function historyCount(): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(`SELECT table_name, count(*)::int AS n FROM rowtrail.event GROUP BY table_name ORDER BY table_name`);
  return Object.fromEntries(rows.map((r) => [r.table_name, r.n]));
}

async function contents(name: string): Promise<unknown[]> {
  return (await db.pool.query(`SELECT * FROM ${name} t ORDER BY t::text`)).rows;
}

async function eventsOf(sql: string) {
  const { rows: [{ mark }] } = await db.pool.query(`SELECT coalesce(max(event_id), 0) AS mark FROM rowtrail.event`);
  await db.pool.query(sql);
  const { rows } = await db.pool.query(
    `SELECT table_name AS t, record_key AS key, old_record_key AS old, changes FROM rowtrail.event WHERE event_id > $1 ORDER BY event_id`, [mark]);
  return rows;
}

/** Every row of the table is, according to history, the record at its key now, with its values; and the given keys are not. */
async function expectHistoryMatches(name: string, keyOf: (row: Record<string, unknown>) => Record<string, unknown>, gone: Array<Record<string, unknown>> = []) {
  const later = new Date(Date.now() + 60_000);
  for (const row of (await db.pool.query(`SELECT * FROM ${name}`)).rows) {
    const state = await recordStateAt(db.pool, `public.${name}`, keyOf(row), later);
    expect({ key: keyOf(row), exists: state.exists, snapshot: state.event?.snapshot }).toEqual({ key: keyOf(row), exists: true, snapshot: row });
  }
  for (const key of gone) expect({ key, exists: (await recordStateAt(db.pool, `public.${name}`, key, later)).exists }).toEqual({ key, exists: false });
}

const lineKey = (r: Record<string, unknown>) => ({ order_id: r.order_id, line_no: r.line_no });

describe('an update whose row a cascade then moves to another key, in the same statement', () => {
  it('is refused, naming the table and key, and writes nothing', async () => {
    await db.pool.query(`INSERT INTO parent VALUES (100); INSERT INTO line VALUES (100, 1, 1)`);
    const before = { history: await historyCount(), parent: await contents('parent'), line: await contents('line') };
    const error = await db.pool.query(`WITH c AS (UPDATE line SET qty = 10 WHERE order_id = 100 RETURNING 1) UPDATE parent SET id = 200 WHERE id = 100`)
      .then(() => undefined, (e: Error & { code?: string; hint?: string }) => e);
    expect(error?.message).toMatch(REFUSED);
    expect(error?.message).toContain('{"line_no": 1, "order_id": 100}');
    expect(error).toMatchObject({ code: '0A000', hint: expect.stringMatching(/separate statements/) });
    expect({ history: await historyCount(), parent: await contents('parent'), line: await contents('line') }).toEqual(before);
  });

  it('is refused for several rows and parents too', async () => {
    await db.pool.query(`INSERT INTO parent VALUES (1), (2), (3); INSERT INTO line VALUES (1, 1, 1), (1, 2, 2), (2, 1, 3), (3, 1, 4)`);
    const before = { history: await historyCount(), parent: await contents('parent'), line: await contents('line') };
    await expect(db.pool.query(`WITH c AS (UPDATE line SET qty = qty * 3) UPDATE parent SET id = id + 1000`)).rejects.toThrow(REFUSED);
    // one row of several moved by the cascade
    await expect(db.pool.query(`WITH c AS (UPDATE line SET qty = qty * 3 WHERE order_id IN (1, 2)) UPDATE parent SET id = 1001 WHERE id = 1`)).rejects.toThrow(REFUSED);
    // in a transaction that changed a key of the table before
    const client = await db.pool.connect();
    try {
      await client.query(`BEGIN`);
      await client.query(`UPDATE line SET line_no = 5 WHERE order_id = 3`);
      await expect(client.query(`WITH c AS (UPDATE line SET qty = 0 WHERE order_id = 2) UPDATE parent SET id = 1002 WHERE id = 2`)).rejects.toThrow(REFUSED);
    } finally {
      await client.query(`ROLLBACK`);
      client.release();
    }
    expect({ history: await historyCount(), parent: await contents('parent'), line: await contents('line') }).toEqual(before);
  });

  it('is refused when a trigger\'s statement moves the row, on each path of the update capture', async () => {
    await db.pool.query(`INSERT INTO parent VALUES (600), (601); INSERT INTO line VALUES (600, 1, 1), (600, 2, 2), (601, 1, 3)`);
    const before = { history: await historyCount(), line: await contents('line') };
    // the single-row path
    await expect(db.pool.query(`WITH c AS (UPDATE line SET qty = 10 WHERE order_id = 600 AND line_no = 1) INSERT INTO renumber VALUES (600, 1, 5)`))
      .rejects.toThrow(/at key \{"line_no": 1, "order_id": 600\}/);
    // rows paired by key (the statement changes no key of line itself)
    await expect(db.pool.query(`WITH c AS (UPDATE line SET qty = qty + 1 WHERE order_id = 600) INSERT INTO renumber VALUES (600, 2, 5)`))
      .rejects.toThrow(/at key \{"line_no": 2, "order_id": 600\}/);
    // rows paired by key, the statement changing another line's key itself
    await expect(db.pool.query(`WITH c AS (UPDATE line SET qty = qty + 1 WHERE order_id = 600), d AS (UPDATE line SET line_no = 7 WHERE order_id = 601)
      INSERT INTO renumber VALUES (600, 1, 5)`)).rejects.toThrow(/at key \{"line_no": 1, "order_id": 600\}/);
    expect({ history: await historyCount(), line: await contents('line') }).toEqual(before);
    // the trigger's statement moving another row than the one the statement updates: recorded
    const rows = await eventsOf(`WITH c AS (INSERT INTO renumber VALUES (600, 1, 5) RETURNING 1) UPDATE line SET qty = 20 WHERE order_id = 600 AND line_no = 2`);
    expect(rows.map((r) => [r.key, r.old, r.changes])).toEqual([
      [{ order_id: 600, line_no: 2 }, null, { qty: [2, 20] }],
      [{ order_id: 600, line_no: 5 }, { order_id: 600, line_no: 1 }, { line_no: [1, 5] }],
    ]);
    await expectHistoryMatches('line', lineKey, [{ order_id: 600, line_no: 1 }]);
  });

  it('is recorded in order when the update and the key change are separate statements', async () => {
    const rows = await eventsOf(`BEGIN; UPDATE line SET qty = 10 WHERE order_id = 100; UPDATE parent SET id = 200 WHERE id = 100; COMMIT`);
    expect(rows.map((r) => [r.t, r.key, r.old, r.changes])).toEqual([
      ['public.line', { order_id: 100, line_no: 1 }, null, { qty: [1, 10] }],
      ['public.parent', { id: 200 }, { id: 100 }, { id: [100, 200] }],
      ['public.line', { order_id: 200, line_no: 1 }, { order_id: 100, line_no: 1 }, { order_id: [100, 200] }],
    ]);
    await expectHistoryMatches('line', lineKey, [{ order_id: 100, line_no: 1 }]);
  });
});

describe('what is not refused', () => {
  it('a key change, then a cascade\'s update of the row at its new key (the reverse order)', async () => {
    await db.pool.query(`INSERT INTO node VALUES (1, NULL, 'a'), (2, 1, 'b'), (3, 2, 'c'), (4, 4, 'd')`);
    // in one transaction: the cascade updates rows the statement moved, then later statements update them again
    const rows = await eventsOf(`BEGIN;
      UPDATE node SET id = id + 10, name = upper(name);
      UPDATE node SET id = 20 WHERE id = 14;
      UPDATE node SET name = 'x' WHERE id = 12;
      UPDATE node SET name = lower(name);
      COMMIT`);
    expect(rows.map((r) => JSON.stringify([r.key, r.old, r.changes])).sort()).toEqual([
      [{ id: 11 }, { id: 1 }, { id: [1, 11], name: ['a', 'A'] }],
      [{ id: 12 }, { id: 2 }, { id: [2, 12], name: ['b', 'B'] }],
      [{ id: 13 }, { id: 3 }, { id: [3, 13], name: ['c', 'C'] }],
      [{ id: 14 }, { id: 4 }, { id: [4, 14], name: ['d', 'D'] }],
      [{ id: 12 }, null, { parent_id: [1, 11] }],
      [{ id: 13 }, null, { parent_id: [2, 12] }],
      [{ id: 14 }, null, { parent_id: [4, 14] }],
      [{ id: 20 }, { id: 14 }, { id: [14, 20] }],
      [{ id: 20 }, null, { parent_id: [14, 20] }],
      [{ id: 12 }, null, { name: ['B', 'x'] }],
      [{ id: 11 }, null, { name: ['A', 'a'] }],
      [{ id: 13 }, null, { name: ['C', 'c'] }],
      [{ id: 20 }, null, { name: ['D', 'd'] }],
    ].map((e) => JSON.stringify(e)).sort());
    await expectHistoryMatches('node', (r) => ({ id: r.id }), [1, 2, 3, 4, 14].map((id) => ({ id })));
  });

  it('a key change whose statement also changes other rows, in a transaction that changed keys before', async () => {
    await db.pool.query(`INSERT INTO parent VALUES (50); INSERT INTO line VALUES (50, 1, 1), (50, 2, 2), (50, 3, 3)`);
    const rows = await eventsOf(`BEGIN; UPDATE line SET line_no = 9 WHERE order_id = 50 AND line_no = 3;
      UPDATE line SET line_no = CASE line_no WHEN 1 THEN 3 ELSE line_no END, qty = qty + 1 WHERE order_id = 50; COMMIT`);
    expect(rows.map((r) => [r.key, r.old, r.changes])).toEqual(expect.arrayContaining([
      [{ order_id: 50, line_no: 9 }, { order_id: 50, line_no: 3 }, { line_no: [3, 9] }],
      [{ order_id: 50, line_no: 3 }, { order_id: 50, line_no: 1 }, { line_no: [1, 3], qty: [1, 2] }],
      [{ order_id: 50, line_no: 2 }, null, { qty: [2, 3] }],
      [{ order_id: 50, line_no: 9 }, null, { qty: [3, 4] }],
    ]));
    expect(rows).toHaveLength(4);
    await expectHistoryMatches('line', lineKey, [{ order_id: 50, line_no: 1 }]);
  });

  it('keys swapped or shifted in one statement, then the rows at those keys updated in the same transaction', async () => {
    await db.pool.query(`INSERT INTO seat VALUES ('A', 1, 'ann'), ('A', 2, 'bob'), ('A', 3, 'cy')`);
    const rows = await eventsOf(`BEGIN;
      UPDATE seat SET seat_no = 3 - seat_no WHERE seat_no IN (1, 2);
      UPDATE seat SET guest = guest || '!' WHERE seat_no = 2;
      UPDATE seat SET seat_no = seat_no + 1;
      UPDATE seat SET guest = upper(guest) WHERE seat_no = 2;
      UPDATE seat SET guest = guest || '?';
      COMMIT`);
    expect(rows.filter((r) => r.old === null).map((r) => [r.key, r.changes])).toEqual(expect.arrayContaining([
      [{ hall: 'A', seat_no: 2 }, { guest: ['ann', 'ann!'] }],
      [{ hall: 'A', seat_no: 2 }, { guest: ['bob', 'BOB'] }],
      [{ hall: 'A', seat_no: 2 }, { guest: ['BOB', 'BOB?'] }],
      [{ hall: 'A', seat_no: 3 }, { guest: ['ann!', 'ann!?'] }],
      [{ hall: 'A', seat_no: 4 }, { guest: ['cy', 'cy?'] }],
    ]));
    await expectHistoryMatches('seat', (r) => ({ hall: r.hall, seat_no: r.seat_no }), [{ hall: 'A', seat_no: 1 }]);
  });

  it('a later statement of the same transaction that writes a new row at the key a record left, and updates it', async () => {
    await db.pool.query(`INSERT INTO parent VALUES (300); INSERT INTO line VALUES (300, 1, 1), (300, 2, 2)`);
    const rows = await eventsOf(`BEGIN;
      UPDATE parent SET id = 301 WHERE id = 300;
      INSERT INTO parent VALUES (300);
      INSERT INTO line VALUES (300, 1, 5), (300, 2, 6);
      UPDATE line SET qty = 7 WHERE order_id = 300 AND line_no = 1;
      UPDATE line SET qty = qty * 10 WHERE order_id = 300;
      COMMIT`);
    expect(rows.filter((r) => r.t === 'public.line').map((r) => [r.key, r.old, r.changes])).toEqual([
      [{ order_id: 301, line_no: 1 }, { order_id: 300, line_no: 1 }, { order_id: [300, 301] }],
      [{ order_id: 301, line_no: 2 }, { order_id: 300, line_no: 2 }, { order_id: [300, 301] }],
      [{ order_id: 300, line_no: 1 }, null, { order_id: 300, line_no: 1, qty: 5 }],
      [{ order_id: 300, line_no: 2 }, null, { order_id: 300, line_no: 2, qty: 6 }],
      [{ order_id: 300, line_no: 1 }, null, { qty: [5, 7] }],
      expect.anything(), expect.anything(), // the last statement's two updates, in either order
    ]);
    expect(rows.slice(-2).map((r) => [r.key, r.changes]).sort((a, b) => a[0].line_no - b[0].line_no)).toEqual([
      [{ order_id: 300, line_no: 1 }, { qty: [7, 70] }],
      [{ order_id: 300, line_no: 2 }, { qty: [6, 60] }],
    ]);
    await expectHistoryMatches('line', lineKey);
  });

  it('the same in one DO block: a key change, then an insert and an update at the old key', async () => {
    await db.pool.query(`INSERT INTO parent VALUES (400); INSERT INTO line VALUES (400, 1, 1)`);
    const rows = await eventsOf(`DO $$ BEGIN
      UPDATE parent SET id = 401 WHERE id = 400;
      INSERT INTO parent VALUES (400);
      INSERT INTO line VALUES (400, 1, 8);
      UPDATE line SET qty = 9 WHERE order_id = 400 AND line_no = 1;
    END $$`);
    expect(rows.filter((r) => r.t === 'public.line').map((r) => [r.key, r.old, r.changes])).toEqual([
      [{ order_id: 401, line_no: 1 }, { order_id: 400, line_no: 1 }, { order_id: [400, 401] }],
      [{ order_id: 400, line_no: 1 }, null, { order_id: 400, line_no: 1, qty: 8 }],
      [{ order_id: 400, line_no: 1 }, null, { qty: [8, 9] }],
    ]);
    await expectHistoryMatches('line', lineKey);
  });
});
