// Two Rowtrail installations in one database (schema option): status and prune of one leave the other's objects alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from '../install/installer.js';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { databaseStatus } from './database-status.js';
import { prune } from './prune.js';
import { status } from './status.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('two_schemas');
  await db.pool.query(`CREATE TABLE item (id int PRIMARY KEY, name text)`);
  await db.pool.query(`CREATE TABLE other (id int PRIMARY KEY, v text)`);
});
afterAll(() => db.drop());

const tracked = (table: string, column: string): TrackedTableSpec => ({
  schema: 'public', table, primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: column, type: 'text' }],
});
const item = tracked('item', 'name');
const other = tracked('other', 'v');
const otherProtections: ProtectedTableSpec[] = [{ schema: 'public', table: 'other', primaryKey: ['id'], protections: [{ kind: 'protect', name: 'keep', operations: ['delete'] }] }];
const notInstalled = (entries: Array<{ kind: string; table: string; name: string; state: string }>) =>
  entries.filter((e) => e.state !== 'installed').map((e) => `${e.kind} ${e.table} ${e.name}: ${e.state}`);

describe('two Rowtrail schemas in one database', () => {
  it('each one\'s status and prune see only the triggers whose functions live in its own schema', async () => {
    await install(db.pool, [item], { schema: 'rowtrail' });
    await install(db.pool, [other], { schema: 'audit', protections: otherProtections });

    expect(notInstalled((await status(db.pool, [item], { schema: 'rowtrail' })).entries)).toEqual([]);
    expect(notInstalled((await status(db.pool, [other], { schema: 'audit', protections: otherProtections })).entries)).toEqual([]);
    expect(notInstalled((await databaseStatus(db.pool, { schema: 'rowtrail' })).entries)).toEqual([]);
    expect(await prune(db.pool, [item], { schema: 'rowtrail' })).toEqual([]);

    await db.pool.query(`INSERT INTO other VALUES (1, 'x')`);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM audit.other_history`)).rows).toEqual([{ n: 1 }]);
    await expect(db.pool.query(`DELETE FROM audit.other_history`)).rejects.toMatchObject({ code: 'RT001' });
    await expect(db.pool.query(`DELETE FROM other`)).rejects.toMatchObject({ code: 'RT001' });
  });

  it('still reports and prunes an orphan that runs a function of its own schema', async () => {
    await db.pool.query(`CREATE TRIGGER rowtrail_protect_gone BEFORE DELETE ON other FOR EACH ROW EXECUTE FUNCTION rowtrail.protect('gone', 'protect')`);
    expect(notInstalled((await status(db.pool, [item], { schema: 'rowtrail' })).entries)).toEqual(['trigger public.other rowtrail_protect_gone: orphaned']);
    expect(notInstalled((await status(db.pool, [other], { schema: 'audit', protections: otherProtections })).entries)).toEqual([]);
    expect((await prune(db.pool, [item], { schema: 'rowtrail' })).map((e) => e.name)).toEqual(['rowtrail_protect_gone']);
    expect(notInstalled((await status(db.pool, [other], { schema: 'audit', protections: otherProtections })).entries)).toEqual([]);
  });
});
