// PostgreSQL 18 makes a generated column virtual unless it says STORED: computed when read, stored nowhere, read as
// NULL by triggers, and a statement naming it in a transition table fails. History leaves such columns out, whoever
// declares the table (a spec or entity that lists the column, or the catalog), and stored generated columns stay in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { databaseStatus } from '../lifecycle/database-status.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { status } from '../lifecycle/status.js';
import { catalogTableSpec } from './catalog-table-spec.js';
import { install, installDeclared } from './installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

let db: TestDatabase;
let serverVersion: number;
const line: TrackedTableSpec = {
  schema: 'public', table: 'line', primaryKey: ['id'], label: 'line', exclude: [], ignoreChanges: [],
  // as an entity that maps every column lists them: total is virtual, doubled stored
  columns: [{ name: 'id', type: 'integer' }, { name: 'qty', type: 'integer' }, { name: 'price', type: 'numeric' }, { name: 'total', type: 'numeric' }, { name: 'doubled', type: 'integer' }],
};

beforeAll(async () => {
  db = await createTestDatabase('capture_virtual_columns');
  serverVersion = Number((await db.pool.query(`SHOW server_version_num`)).rows[0].server_version_num);
});
afterAll(() => db.drop());

async function eventsOf(sql: string) {
  const { rows: [{ mark }] } = await db.pool.query(`SELECT coalesce(max(event_id), 0) AS mark FROM rowtrail.event`);
  await db.pool.query(sql);
  const { rows } = await db.pool.query(
    `SELECT table_name AS t, operation AS op, record_key AS key, changes FROM rowtrail.event WHERE event_id > $1 ORDER BY event_id`, [mark]);
  return rows;
}

describe('virtual generated columns', () => {
  it('are left out of history, whoever declares the table, and every write to their table is recorded', async () => {
    if (serverVersion < 180000) {
      // before PostgreSQL 18 a generated column is STORED (the keyword is required): no table can have a virtual one
      await expect(db.pool.query(`CREATE TABLE line (id integer PRIMARY KEY, qty integer, total integer GENERATED ALWAYS AS (qty) VIRTUAL)`))
        .rejects.toThrow(/syntax error/);
      return;
    }
    await db.pool.query(`CREATE TABLE line (id integer PRIMARY KEY, qty integer, price numeric,
      total numeric GENERATED ALWAYS AS (qty * price), doubled integer GENERATED ALWAYS AS (qty * 2) STORED)`);
    await install(db.pool, [line]);

    expect(await eventsOf(`INSERT INTO line (id, qty, price) VALUES (1, 2, 1.5), (2, 3, 2)`)).toEqual([
      { t: 'public.line', op: 'INSERT', key: { id: 1 }, changes: { id: 1, qty: 2, price: 1.5, doubled: 4 } },
      { t: 'public.line', op: 'INSERT', key: { id: 2 }, changes: { id: 2, qty: 3, price: 2, doubled: 6 } },
    ]);
    expect(await eventsOf(`UPDATE line SET qty = 5 WHERE id = 1`)).toEqual([
      { t: 'public.line', op: 'UPDATE', key: { id: 1 }, changes: { qty: [2, 5], doubled: [4, 10] } },
    ]);
    expect((await eventsOf(`UPDATE line SET price = price + 1`)).sort((a, b) => a.key.id - b.key.id)).toEqual([
      { t: 'public.line', op: 'UPDATE', key: { id: 1 }, changes: { price: [1.5, 2.5] } },
      { t: 'public.line', op: 'UPDATE', key: { id: 2 }, changes: { price: [2, 3] } },
    ]);
    expect(await eventsOf(`UPDATE line SET id = 3 WHERE id = 2`)).toEqual([
      { t: 'public.line', op: 'UPDATE', key: { id: 3 }, changes: { id: [2, 3] } },
    ]);
    expect(await eventsOf(`DELETE FROM line WHERE id = 3`)).toEqual([
      { t: 'public.line', op: 'DELETE', key: { id: 3 }, changes: { id: 3, qty: 3, price: 3, doubled: 6 } },
    ]);
    expect((await eventsOf(`TRUNCATE line`)).map((e) => [e.op, e.changes])).toEqual([['DELETE', { id: 1, qty: 5, price: 2.5, doubled: 10 }]]);

    const historyColumns = await db.pool.query(`SELECT attname FROM pg_attribute WHERE attrelid = 'rowtrail.line_history'::regclass AND attnum > 0 AND NOT attisdropped`);
    expect(historyColumns.rows.map((r) => r.attname)).not.toContain('total');
    expect(historyColumns.rows.map((r) => r.attname)).toContain('doubled');
    const registry = await db.pool.query(`SELECT columns FROM rowtrail.tracked_table WHERE table_name = 'public.line'`);
    expect(registry.rows[0].columns.map((c: { name: string }) => c.name)).toEqual(['id', 'qty', 'price', 'doubled']);

    // status and generated migrations build the same capture: nothing to do
    expect((await status(db.pool, [line])).upToDate).toBe(true);
    expect((await planMigration(db.pool, [line])).up).toEqual([]);
    // a derived column is a natural one to ignore or exclude: named there, it goes with the column, and nothing changes
    const ignoring = { ...line, exclude: ['total'], ignoreChanges: ['total'] };
    expect((await status(db.pool, [ignoring])).upToDate).toBe(true);
    expect((await install(db.pool, [ignoring])).updatedTables).toEqual([]);

    // a table tracked from the catalog (rowtrail install --table), whose spec lists the virtual column
    await db.pool.query(`CREATE TABLE tag (id integer PRIMARY KEY, name text, shout text GENERATED ALWAYS AS (upper(name)))`);
    const spec = (await catalogTableSpec(db.pool, 'public.tag'))!;
    expect(spec.columns.map((c) => c.name)).toEqual(['id', 'name', 'shout']);
    await install(db.pool, [spec]);
    expect(await eventsOf(`INSERT INTO tag VALUES (1, 'a'); UPDATE tag SET name = 'b'`)).toEqual([
      { t: 'public.tag', op: 'INSERT', key: { id: 1 }, changes: { id: 1, name: 'a' } },
      { t: 'public.tag', op: 'UPDATE', key: { id: 1 }, changes: { name: ['a', 'b'] } },
    ]);

    // a column install --table was told to ignore, made virtual since: status reports the change, and installing again
    // (with the same --ignore) brings the table up to date
    await db.pool.query(`CREATE TABLE note (id integer PRIMARY KEY, body text, summary text)`);
    const noteSpec = async () => (await catalogTableSpec(db.pool, 'public.note', { ignoreChanges: ['summary'] }))!;
    await installDeclared(db.pool, [await noteSpec()], {}, 'catalog');
    await db.pool.query(`ALTER TABLE note DROP COLUMN summary, ADD COLUMN summary text GENERATED ALWAYS AS (left(body, 3))`);
    const changed = await databaseStatus(db.pool);
    expect(changed.entries.filter((e) => e.table === 'public.note' && e.state !== 'installed').map((e) => [e.kind, e.state])).toEqual([['history-table', 'outdated'], ['capture', 'outdated']]);
    await installDeclared(db.pool, [await noteSpec()], {}, 'catalog');
    expect((await databaseStatus(db.pool)).upToDate).toBe(true);
    expect(await eventsOf(`INSERT INTO note VALUES (1, 'abcdef'); UPDATE note SET body = 'xyz'`)).toEqual([
      { t: 'public.note', op: 'INSERT', key: { id: 1 }, changes: { id: 1, body: 'abcdef' } },
      { t: 'public.note', op: 'UPDATE', key: { id: 1 }, changes: { body: ['abcdef', 'xyz'] } },
    ]);
  });
});
