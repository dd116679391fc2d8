// Changing the type of a tracked table's primary-key column (integer to bigint) or of a protected field: PostgreSQL
// refuses it while a trigger's WHEN compares the column (the key-change capture, read-only/FSM/versioned guards).
// Through a Rowtrail-wired connection the error says what to do; doing it (drop the trigger, retype, install again)
// keeps the history going under the new type.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordHistory } from '../query/record-history.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { rowtrailDriver } from '../typeorm/with-rowtrail.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';
import { install } from './installer.js';

let db: TestDatabase;
let wired: pg.Pool;
const item = (idType: string, versionType: string): TrackedTableSpec => ({
  schema: 'public', table: 'item', primaryKey: ['id'], label: 'item', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: idType }, { name: 'v', type: 'text' }, { name: 'version', type: versionType }],
});
const protections: ProtectedTableSpec[] = [{ schema: 'public', table: 'item', primaryKey: ['id'], protections: [{ kind: 'versioned', name: 'ver', field: 'version' }] }];

beforeAll(async () => {
  db = await createTestDatabase('retype_trigger_column');
  await db.pool.query(`CREATE TABLE item (id integer PRIMARY KEY, v text, version integer NOT NULL DEFAULT 1)`);
  await install(db.pool, [item('integer', 'integer')], { protections });
  await db.pool.query(`INSERT INTO item (id, v) VALUES (1, 'a')`);
  wired = new (rowtrailDriver(pg).Pool)({ connectionString: db.url, max: 1 });
});
afterAll(async () => {
  await wired?.end();
  await db.drop();
});

describe('retyping a column a Rowtrail trigger compares', () => {
  it('is refused by PostgreSQL with a message that names the trigger and what to do', async () => {
    for (const [column, trigger] of [['id', 'rowtrail_capture_key_change'], ['version', 'rowtrail_protect_ver']]) {
      const error = await wired.query(`ALTER TABLE item ALTER COLUMN ${column} TYPE bigint`).then(() => undefined, (e: { code: string; message: string }) => e);
      expect(error?.code).toBe('0A000');
      expect(error?.message).toBe(`cannot alter type of a column used in a trigger definition (Rowtrail: its trigger ${trigger} on item compares ${column} in its WHEN clause; `
        + `drop it first, in the same migration (DROP TRIGGER ${trigger} ON item), and installTracked(), \`rowtrail install\` or your generated Rowtrail migration creates it again for the new type: docs/lifecycle.md)`);
    }
  });

  it('a dropped protected field is refused by PostgreSQL with a message that names the trigger and what to do, not CASCADE', async () => {
    const error = await wired.query(`ALTER TABLE item DROP COLUMN version`).then(() => undefined, (e: { code: string; message: string }) => e);
    expect(error?.code).toBe('2BP01');
    expect(error?.message).toBe('cannot drop column version of table item because other objects depend on it (Rowtrail: its trigger rowtrail_protect_ver on item compares version in its WHEN clause; '
      + 'drop it first, in the same migration (DROP TRIGGER rowtrail_protect_ver ON item), and installTracked(), `rowtrail install` or your generated Rowtrail migration creates it again '
      + 'for the table without the column (declare the protection without that field first; not CASCADE, which drops the trigger and leaves the table unprotected until then): docs/lifecycle.md)');
  });

  it('works as the message says, and history goes on under the new types', async () => {
    const client = await wired.connect();
    try {
      await client.query('BEGIN');
      await client.query('DROP TRIGGER rowtrail_capture_key_change ON item');
      await client.query('DROP TRIGGER rowtrail_protect_ver ON item');
      await client.query('ALTER TABLE item ALTER COLUMN id TYPE bigint, ALTER COLUMN version TYPE bigint');
      await install(client, [item('bigint', 'bigint')], { protections });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await db.pool.query(`UPDATE item SET v = 'b' WHERE id = 1`);
    await db.pool.query(`UPDATE item SET id = 9007199254740993 WHERE id = 1`); // a key change, recorded by the recreated trigger
    const versions = (await recordHistory(db.pool, 'item', { id: '9007199254740993' }, { order: 'asc' })).events.map((e) => [e.operation, e.changes]);
    expect(versions).toEqual([['UPDATE', { id: [1, '9007199254740993'], version: [2, 3] }]]); // an inexact number as its digits
    const before = (await recordHistory(db.pool, 'item', { id: 1 }, { order: 'asc' })).events.map((e) => [e.operation, e.changes]);
    expect(before).toEqual([['INSERT', { id: 1, v: 'a', version: 1 }], ['UPDATE', { v: ['a', 'b'], version: [1, 2] }]]);
    expect((await db.pool.query(`SELECT version FROM item`)).rows[0].version).toBe('3'); // the versioned bump, recreated: 1 -> 2 -> 3
  });
});
