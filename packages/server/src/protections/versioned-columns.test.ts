// @Versioned with a spec whose `columns` lists only some of the table's columns (the types of the fields it
// protects, or the columns a TypeORM entity maps): every column of the table counts as a change (versioned-columns.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { status } from '../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import type { ProtectedTableSpec } from './protection-spec.js';

let db: TestDatabase;
// settings is json (no equality operator): its type is listed so that the read-only comparison installs
const doc: ProtectedTableSpec = {
  schema: 'public', table: 'doc', primaryKey: ['id'],
  columns: [{ name: 'settings', type: 'json' }, { name: 'total', type: 'integer' }], // total is generated, and not marked
  protections: [{ kind: 'versioned', name: 'versioned', field: 'ver' }, { kind: 'read_only', name: 'fixed_settings', fields: ['settings'] }],
};

beforeAll(async () => {
  db = await createTestDatabase('versioned_columns');
  await db.pool.query(`CREATE TABLE doc (id integer PRIMARY KEY, body text, settings json, n integer NOT NULL DEFAULT 1,
    total integer GENERATED ALWAYS AS (n * 2) STORED, ver integer NOT NULL DEFAULT 0)`);
  await db.pool.query(`INSERT INTO doc (id, body, settings) VALUES (1, 'a', '{"x": 1}')`);
  await install(db.pool, [], { protections: [doc] });
});
afterAll(() => db.drop());

const version = async () => (await db.pool.query(`SELECT ver FROM doc WHERE id = 1`)).rows[0].ver as number;

describe('@Versioned with a spec listing some columns', () => {
  it('increments on a change of a column the spec does not list, and not on a redundant update', async () => {
    await db.pool.query(`UPDATE doc SET body = 'b' WHERE id = 1`);
    expect(await version()).toBe(1);
    await db.pool.query(`UPDATE doc SET n = 2 WHERE id = 1`); // recomputes the generated column too
    expect(await version()).toBe(2);
    await db.pool.query(`UPDATE doc SET body = 'b', n = 2 WHERE id = 1`);
    expect(await version()).toBe(2);
    expect((await status(db.pool, [], { protections: [doc] })).upToDate).toBe(true);
  });

  it('shows a column added to the table later as an outdated protection, which the next install compares', async () => {
    await db.pool.query(`ALTER TABLE doc ADD COLUMN priority integer`);
    const outdated = (await status(db.pool, [], { protections: [doc] })).entries.filter((e) => e.state !== 'installed');
    expect(outdated.map((e) => `${e.kind} ${e.name}: ${e.state}`)).toEqual(['protection versioned: outdated']);
    expect((await planMigration(db.pool, [], { protections: [doc] })).changes).toEqual(['protection versioned on public.doc']);
    await install(db.pool, [], { protections: [doc] });
    await db.pool.query(`UPDATE doc SET priority = 5 WHERE id = 1`);
    expect(await version()).toBe(3);
    expect((await status(db.pool, [], { protections: [doc] })).upToDate).toBe(true);
  });
});
