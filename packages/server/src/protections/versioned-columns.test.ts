// @Versioned with a spec whose `columns` lists only some of the table's columns (the types of the fields it
// protects, or the columns a TypeORM entity maps): a change to any column of the table increments the version,
// and the increment pins no column against DROP COLUMN or ALTER … TYPE (protection-ddl.ts, versioned-columns.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { status } from '../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import type { ProtectedTableSpec } from './protection-spec.js';

let db: TestDatabase;
// settings is json (no equality operator): its type is listed so that the read-only comparison installs
const doc: ProtectedTableSpec = {
  schema: 'public', table: 'doc', primaryKey: ['id'],
  columns: [{ name: 'settings', type: 'json' }],
  protections: [{ kind: 'versioned', name: 'versioned', field: 'ver' }, { kind: 'read_only', name: 'fixed_settings', fields: ['settings'] }],
};
// a stored generated column the spec does not mark (it lists only the version field)
const line: ProtectedTableSpec = {
  schema: 'public', table: 'line', primaryKey: ['id'], columns: [{ name: 'ver', type: 'integer' }],
  protections: [{ kind: 'versioned', name: 'versioned', field: 'ver' }],
};

beforeAll(async () => {
  db = await createTestDatabase('versioned_columns');
  await db.pool.query(`CREATE TABLE doc (id integer PRIMARY KEY, body text, settings json, n integer NOT NULL DEFAULT 1, legacy text, ver integer NOT NULL DEFAULT 0)`);
  await db.pool.query(`INSERT INTO doc (id, body, settings) VALUES (1, 'a', '{"x": 1}')`);
  await db.pool.query(`CREATE TABLE line (id integer PRIMARY KEY, qty integer NOT NULL, total integer GENERATED ALWAYS AS (qty * 2) STORED, ver integer NOT NULL DEFAULT 0)`);
  await db.pool.query(`INSERT INTO line (id, qty) VALUES (1, 1)`);
  await install(db.pool, [], { protections: [doc, line] });
});
afterAll(() => db.drop());

const version = async (table: string) => (await db.pool.query(`SELECT ver FROM ${table} WHERE id = 1`)).rows[0].ver as number;

describe('@Versioned with a spec listing some columns', () => {
  it('increments on a change of a column the spec does not list, and not on a redundant update', async () => {
    await db.pool.query(`UPDATE doc SET body = 'b' WHERE id = 1`);
    expect(await version('doc')).toBe(1);
    await db.pool.query(`UPDATE doc SET n = 2 WHERE id = 1`);
    expect(await version('doc')).toBe(2);
    await db.pool.query(`UPDATE doc SET body = 'b', n = 2 WHERE id = 1`);
    expect(await version('doc')).toBe(2);
    expect((await status(db.pool, [], { protections: [doc, line] })).upToDate).toBe(true);
  });

  it('lets columns be added, dropped and retyped, and counts a column added later without another install', async () => {
    await db.pool.query(`ALTER TABLE doc DROP COLUMN legacy`);
    await db.pool.query(`ALTER TABLE doc ALTER COLUMN n TYPE bigint`);
    await db.pool.query(`ALTER TABLE doc ADD COLUMN priority integer`);
    await db.pool.query(`UPDATE doc SET priority = 5 WHERE id = 1`);
    expect(await version('doc')).toBe(3);
    await db.pool.query(`UPDATE doc SET n = 3 WHERE id = 1`);
    expect(await version('doc')).toBe(4);
    expect((await status(db.pool, [], { protections: [doc, line] })).upToDate).toBe(true);
  });

  it('installs on a table with a stored generated column the spec does not mark, and increments on real changes only', async () => {
    await db.pool.query(`UPDATE line SET qty = 2 WHERE id = 1`); // recomputes the generated column too
    expect(await version('line')).toBe(1);
    await db.pool.query(`UPDATE line SET qty = 2 WHERE id = 1`);
    expect(await version('line')).toBe(1);
  });
});
