import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { install } from './installer.js';

// A user's trigger that writes to the same tracked table while a statement runs (here: re-parenting
// children after a category's id changed). Its statements fire their own captures, nested one trigger
// level deeper, between the outer statement's key-change trigger and the outer update capture.
let db: TestDatabase;
const spec: TrackedTableSpec = {
  schema: 'public', table: 'category', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'parent_id', type: 'integer' }, { name: 'name', type: 'text' }],
};

beforeAll(async () => {
  db = await createTestDatabase('capture_nested_writes');
  await db.pool.query(`CREATE TABLE category (id integer PRIMARY KEY, parent_id integer, name text)`);
  await db.pool.query(`CREATE FUNCTION reparent() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN UPDATE category SET parent_id = NEW.id WHERE parent_id = OLD.id; RETURN NULL; END $$`);
  // "trg_" sorts after "rowtrail_capture_key_change": it runs after the key-change capture of the same row
  await db.pool.query(`CREATE TRIGGER trg_reparent AFTER UPDATE ON category FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION reparent()`);
  await install(db.pool, [spec]);
  await db.pool.query(`INSERT INTO category VALUES (1, NULL, 'root'), (2, 1, 'child'), (3, NULL, 'other'), (4, 3, 'leaf'), (5, 3, 'leaf 2')`);
});
afterAll(() => db.drop());

async function eventsOf(sql: string) {
  const { rows: [{ mark }] } = await db.pool.query(`SELECT coalesce(max(event_id), 0) AS mark FROM rowtrail.event`);
  await db.pool.query(sql);
  const { rows } = await db.pool.query(
    `SELECT record_key AS key, old_record_key AS old, changes FROM rowtrail.event WHERE event_id > $1 ORDER BY (record_key ->> 'id')::int`, [mark]);
  return rows;
}

describe('writes nested in a statement on the same table', () => {
  it('records a single-row key change once, and the updates a user trigger made during it', async () => {
    expect(await eventsOf(`UPDATE category SET id = 10 WHERE id = 1`)).toEqual([
      { key: { id: 2 }, old: null, changes: { parent_id: [1, 10] } },
      { key: { id: 10 }, old: { id: 1 }, changes: { id: [1, 10] } },
    ]);
  });

  it('records a multi-row key change once per row, and every nested update', async () => {
    expect(await eventsOf(`UPDATE category SET id = id + 100, name = upper(name) WHERE id IN (3, 10)`)).toEqual([
      { key: { id: 2 }, old: null, changes: { parent_id: [10, 110] } },
      { key: { id: 4 }, old: null, changes: { parent_id: [3, 103] } },
      { key: { id: 5 }, old: null, changes: { parent_id: [3, 103] } },
      { key: { id: 103 }, old: { id: 3 }, changes: { id: [3, 103], name: ['other', 'OTHER'] } },
      { key: { id: 110 }, old: { id: 10 }, changes: { id: [10, 110], name: ['root', 'ROOT'] } },
    ]);
  });

  it('pairs rows by key again in the next statement of the transaction', async () => {
    expect(await eventsOf(`BEGIN; UPDATE category SET id = 7 WHERE id = 5; UPDATE category SET name = name || '!' WHERE id IN (2, 4); COMMIT;`)).toEqual([
      { key: { id: 2 }, old: null, changes: { name: ['child', 'child!'] } },
      { key: { id: 4 }, old: null, changes: { name: ['leaf', 'leaf!'] } },
      { key: { id: 7 }, old: { id: 5 }, changes: { id: [5, 7] } },
    ]);
  });
});
