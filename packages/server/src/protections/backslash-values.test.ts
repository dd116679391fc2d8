// Backslashes in table and column names, a label, FSM states and a soft-delete value: the generated SQL writes them as
// E'…' literals, which every session reads alike (standard_conforming_strings on or off), and status agrees with install.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from '../install/installer.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { status } from '../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import type { ProtectedTableSpec } from './protection-spec.js';

let db: TestDatabase;
const columns = [{ name: 'id', type: 'integer' }, { name: 'st\\ate', type: 'text' }, { name: 'gone', type: 'text' }];
const tracked: TrackedTableSpec = { schema: 'public', table: 'doc\\s', primaryKey: ['id'], label: 'L\\x', exclude: [], ignoreChanges: [], columns };
const protectedSpec: ProtectedTableSpec = {
  schema: 'public', table: 'doc\\s', primaryKey: ['id'], columns,
  protections: [
    { kind: 'fsm', name: 'flow', field: 'st\\ate', transitions: [['a\\b', 'c\\d']] },
    { kind: 'soft_delete', name: 'soft', field: 'gone', value: 'C:\\trash' },
  ],
};

beforeAll(async () => {
  db = await createTestDatabase('backslash_values');
  await db.pool.query(`CREATE TABLE "doc\\s" (id int PRIMARY KEY, "st\\ate" text, gone text)`);
  await install(db.pool, [tracked], { protections: [protectedSpec] });
});
afterAll(() => db.drop());

/** Runs statements in a session of its own (a session parses a function's statements once, when it first runs them). */
async function inSession(standardConformingStrings: 'on' | 'off', ...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`SET standard_conforming_strings = ${standardConformingStrings}; SET escape_string_warning = off`);
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('backslashes in names and values', () => {
  it('leave status and a generated migration with nothing to do after install', async () => {
    const entries = (await status(db.pool, [tracked], { protections: [protectedSpec] })).entries;
    expect(entries.filter((e) => !['ok', 'installed'].includes(e.state))).toEqual([]);
    expect((await planMigration(db.pool, [tracked], { protections: [protectedSpec] })).changes).toEqual([]);
  });

  for (const setting of ['off', 'on'] as const) {
    it(`are kept as written by a session with standard_conforming_strings ${setting}: history, FSM, soft delete`, async () => {
      await db.pool.query(`TRUNCATE "doc\\s"`);
      const { rows: [{ mark }] } = await db.pool.query(`SELECT coalesce(max(event_id), 0) AS mark FROM rowtrail.event`);
      // E'' in these statements: they mean the same in either setting
      await inSession(setting, `INSERT INTO "doc\\s" VALUES (1, E'a\\\\b')`, `UPDATE "doc\\s" SET "st\\ate" = E'c\\\\d'`, `DELETE FROM "doc\\s"`);
      await expect(inSession(setting, `INSERT INTO "doc\\s" VALUES (2, E'a\\\\b')`, `UPDATE "doc\\s" SET "st\\ate" = 'other' WHERE id = 2`))
        .rejects.toMatchObject({ code: 'RT001' });
      expect((await db.pool.query(`SELECT id, gone FROM "doc\\s" ORDER BY id`)).rows).toEqual([{ id: 1, gone: 'C:\\trash' }, { id: 2, gone: null }]);
      const { rows } = await db.pool.query(`SELECT operation, label, changes FROM rowtrail.event WHERE event_id > $1 ORDER BY event_id`, [mark]);
      expect(rows).toEqual([
        { operation: 'INSERT', label: 'L\\x', changes: { id: 1, 'st\\ate': 'a\\b', gone: null } },
        { operation: 'UPDATE', label: 'L\\x', changes: { 'st\\ate': ['a\\b', 'c\\d'] } },
        { operation: 'UPDATE', label: 'L\\x', changes: { gone: [null, 'C:\\trash'] } },
        { operation: 'INSERT', label: 'L\\x', changes: { id: 2, 'st\\ate': 'a\\b', gone: null } },
      ]);
    });
  }
});
