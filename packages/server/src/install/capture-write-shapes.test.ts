// Statement shapes that fire the capture triggers in less common ways: stored generated columns, BEFORE triggers
// that rewrite or skip rows, upserts (also changing the key), MERGE, writable CTEs, ON UPDATE CASCADE (also of rows
// the statement itself changed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from './installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

let db: TestDatabase;
const item: TrackedTableSpec = {
  schema: 'public', table: 'item', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'qty', type: 'integer' }, { name: 'price', type: 'numeric(10,2)' }, { name: 'total', type: 'numeric' }, { name: 'note', type: 'text' }],
};
const node: TrackedTableSpec = {
  schema: 'public', table: 'node', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'parent_id', type: 'integer' }],
};

beforeAll(async () => {
  db = await createTestDatabase('capture_write_shapes');
  await db.pool.query(`CREATE TABLE item (id integer PRIMARY KEY, qty integer, price numeric(10,2), total numeric GENERATED ALWAYS AS (qty * price) STORED, note text)`);
  // a BEFORE trigger that rewrites rows: uppercases the note, and skips rows whose note is 'skip'
  await db.pool.query(`CREATE FUNCTION item_before() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.note = 'skip' THEN RETURN NULL; END IF; NEW.note := upper(NEW.note); RETURN NEW; END $$`);
  await db.pool.query(`CREATE TRIGGER a_item_before BEFORE INSERT OR UPDATE ON item FOR EACH ROW EXECUTE FUNCTION item_before()`);
  await db.pool.query(`CREATE TABLE node (id integer PRIMARY KEY, parent_id integer REFERENCES node (id) ON UPDATE CASCADE)`);
  await install(db.pool, [item, node]);
  await db.pool.query(`INSERT INTO item (id, qty, price, note) SELECT g, g, 1.50, 'n' || g FROM generate_series(1, 6) g`);
  await db.pool.query(`INSERT INTO node VALUES (1, NULL), (2, 1), (3, 1)`);
});
afterAll(() => db.drop());

async function eventsOf(sql: string) {
  const { rows: [{ mark }] } = await db.pool.query(`SELECT coalesce(max(event_id), 0) AS mark FROM rowtrail.event`);
  await db.pool.query(sql);
  const { rows } = await db.pool.query(
    `SELECT table_name AS t, operation AS op, record_key AS key, old_record_key AS old, changes FROM rowtrail.event WHERE event_id > $1 ORDER BY event_id`, [mark]);
  return rows;
}

describe('write shapes', () => {
  it('generated column and BEFORE trigger: diff holds the stored values', async () => {
    expect(await eventsOf(`UPDATE item SET qty = 10, note = 'x' WHERE id = 1`)).toEqual([
      { t: 'public.item', op: 'UPDATE', key: { id: 1 }, old: null, changes: { qty: [1, 10], total: [1.5, 15], note: ['N1', 'X'] } },
    ]);
    expect(await eventsOf(`UPDATE item SET note = CASE WHEN id = 2 THEN 'skip' ELSE 'y' END WHERE id IN (2, 3)`)).toEqual([
      { t: 'public.item', op: 'UPDATE', key: { id: 3 }, old: null, changes: { note: ['N3', 'Y'] } },
    ]);
  });

  it('upsert: updated rows and inserted rows', async () => {
    const rows = await eventsOf(`INSERT INTO item (id, qty, price, note) VALUES (4, 40, 1.50, 'u'), (7, 7, 1.00, 'new')
      ON CONFLICT (id) DO UPDATE SET qty = EXCLUDED.qty, note = EXCLUDED.note`);
    expect(rows.map((r) => [r.op, r.key, r.old])).toEqual([['UPDATE', { id: 4 }, null], ['INSERT', { id: 7 }, null]]);
    expect(rows[0].changes).toEqual({ qty: [4, 40], total: [6, 60], note: ['N4', 'U'] });
  });

  it('upsert whose DO UPDATE changes the key', async () => {
    const rows = await eventsOf(`INSERT INTO item (id, qty, price, note) VALUES (5, 5, 1.50, 'n5'), (6, 6, 1.50, 'n6')
      ON CONFLICT (id) DO UPDATE SET id = item.id + 100`);
    expect(rows.map((r) => [r.op, r.key, r.old, r.changes])).toEqual([
      ['UPDATE', { id: 105 }, { id: 5 }, { id: [5, 105] }],
      ['UPDATE', { id: 106 }, { id: 6 }, { id: [6, 106] }],
    ]);
  });

  it('MERGE with update, key change, delete and insert', async () => {
    const merge = `MERGE INTO item t USING (VALUES (105, 'a'), (106, 'b'), (3, 'c'), (8, 'd')) s(id, tag) ON t.id = s.id
      WHEN MATCHED AND s.tag = 'a' THEN UPDATE SET note = 'merged'
      WHEN MATCHED AND s.tag = 'b' THEN UPDATE SET id = 206
      WHEN MATCHED AND s.tag = 'c' THEN DELETE
      WHEN NOT MATCHED THEN INSERT (id, qty, price, note) VALUES (s.id, 1, 1, 'm')`;
    const { rows: [{ server_version_num: version }] } = await db.pool.query(`SHOW server_version_num`);
    if (Number(version) < 150000) {
      // PostgreSQL 14 has no MERGE statement: nothing to capture
      await expect(db.pool.query(merge)).rejects.toThrow(/syntax error at or near "MERGE"/);
      return;
    }
    const rows = await eventsOf(merge);
    expect(rows.map((r) => [r.op, r.key, r.old]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      ['DELETE', { id: 3 }, null], ['INSERT', { id: 8 }, null], ['UPDATE', { id: 105 }, null], ['UPDATE', { id: 206 }, { id: 106 }],
    ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
  });

  it('writable CTEs updating the same table twice, one of them changing a key', async () => {
    await db.pool.query(`INSERT INTO item (id, qty, price, note) VALUES (30, 1, 1, 'c')`);
    const rows = await eventsOf(`WITH a AS (UPDATE item SET id = 300 WHERE id = 30 RETURNING 1) UPDATE item SET note = 'cte' WHERE id = 1`);
    expect(rows.map((r) => [r.key, r.old, r.changes])).toEqual(expect.arrayContaining([
      [{ id: 300 }, { id: 30 }, { id: [30, 300] }],
      [{ id: 1 }, null, { note: ['X', 'CTE'] }],
    ]));
    expect(rows).toHaveLength(2);
  });

  it('ON UPDATE CASCADE of a self-referencing key', async () => {
    const rows = await eventsOf(`UPDATE node SET id = 10 WHERE id = 1`);
    expect(rows.map((r) => [r.key, r.old, r.changes])).toEqual(expect.arrayContaining([
      [{ id: 10 }, { id: 1 }, { id: [1, 10] }],
      [{ id: 2 }, null, { parent_id: [1, 10] }],
      [{ id: 3 }, null, { parent_id: [1, 10] }],
    ]));
    expect(rows).toHaveLength(3);
  });

  it('ON UPDATE CASCADE that updates rows the statement itself changed: each update is its own event', async () => {
    // PostgreSQL adds the cascade's updates to the statement's transition tables, so a row appears there twice
    await db.pool.query(`INSERT INTO node VALUES (20, 20), (21, 10)`); // 20 is its own parent
    const rows = await eventsOf(`UPDATE node SET id = id + 100`);
    const events = rows.map((r) => JSON.stringify([r.key, r.old, r.changes])).sort();
    expect(events).toEqual([
      ...[[10, null], [2, 10], [3, 10], [20, 20], [21, 10]].map(([id, parent]) => [{ id: id! + 100 }, { id }, { id: [id, id! + 100] }]),
      // the cascade's own updates of the children whose parent's key changed, after the key changes
      ...[[2, 10], [3, 10], [20, 20], [21, 10]].map(([id, parent]) => [{ id: id! + 100 }, null, { parent_id: [parent, parent! + 100] }]),
    ].map((e) => JSON.stringify(e)).sort());
    const history = await db.pool.query(`SELECT DISTINCT ON (id) id, parent_id FROM rowtrail.node_history ORDER BY id, rowtrail_event_id DESC`);
    const table = await db.pool.query(`SELECT id, parent_id FROM node ORDER BY id`);
    expect(history.rows.filter((r) => r.id >= 100)).toEqual(table.rows); // the newest version of every row is the row
  });
});
