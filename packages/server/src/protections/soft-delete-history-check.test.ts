// A soft delete marks the deleted row with an UPDATE; when history leaves its field out or ignores its changes, that
// UPDATE records nothing and the deletion leaves no trace. Install and generated migrations refuse the pair.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { protectedTable } from '../testing/tracked-spec.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';

let db: TestDatabase;
const doc = (overrides: Partial<TrackedTableSpec>): TrackedTableSpec => ({
  schema: 'public', table: 'doc', primaryKey: ['id'], label: 'doc', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'body', type: 'text' }, { name: 'deleted_at', type: 'timestamp with time zone' }],
  ...overrides,
});
const protections = protectedTable('doc', { kind: 'soft_delete', name: 'keep', field: 'deleted_at', value: 'now' });

beforeAll(async () => {
  db = await createTestDatabase('soft_delete_history_check');
  await db.pool.query(`CREATE TABLE doc (id integer PRIMARY KEY, body text, deleted_at timestamptz)`);
});
afterAll(() => db.drop());

describe('a soft delete whose field history does not record', () => {
  it.each([
    ['ignoreChanges', 'ignores changes of (ignoreChanges)'],
    ['exclude', 'leaves out (exclude)'],
  ] as const)('is refused by install and by a generated migration when the field is in %s, changing nothing', async (option, says) => {
    const tracked = doc({ [option]: ['deleted_at'] });
    const message = `Rowtrail: soft delete "keep" on public.doc marks deleted rows in column deleted_at, which the table's history ${says}: a deletion would leave no event in history. Take deleted_at out of ${option} (rowtrail install: drop its ${option === 'exclude' ? '--exclude' : '--ignore'} public.doc.deleted_at)`;
    await expect(install(db.pool, [tracked], { protections })).rejects.toThrow(message);
    await expect(planMigration(db.pool, [tracked], { protections })).rejects.toThrow(message);
    expect((await db.pool.query(`SELECT to_regnamespace('rowtrail') IS NULL AS none`)).rows[0].none).toBe(true);
  });

  it('installs when history records the field, and a soft delete is an event', async () => {
    await install(db.pool, [doc({ ignoreChanges: ['body'] })], { protections });
    await db.pool.query(`INSERT INTO doc VALUES (1, 'a', NULL)`);
    await db.pool.query(`DELETE FROM doc WHERE id = 1`);
    expect((await db.pool.query(`SELECT operation, changes ? 'deleted_at' AS marked FROM rowtrail.event ORDER BY event_id`)).rows)
      .toEqual([{ operation: 'INSERT', marked: true }, { operation: 'UPDATE', marked: true }]);
  });

  it('is refused across installs too: tracked first and protected later, or protected first and tracked later', async () => {
    await db.pool.query(`CREATE TABLE memo (id integer PRIMARY KEY, deleted_at timestamptz)`);
    const memo = (overrides: Partial<TrackedTableSpec>) => doc({ table: 'memo', columns: [{ name: 'id', type: 'integer' }, { name: 'deleted_at', type: 'timestamp with time zone' }], ...overrides });
    const memoSoftDelete = protectedTable('memo', { kind: 'soft_delete', name: 'keep', field: 'deleted_at', value: 'now' });
    const says = 'marks deleted rows in column deleted_at, which the table\'s history ignores changes of (ignoreChanges)';
    // tracked by one install, its soft delete added by another
    await install(db.pool, [memo({ ignoreChanges: ['deleted_at'] })]);
    await expect(install(db.pool, [], { protections: memoSoftDelete })).rejects.toThrow(`Rowtrail: soft delete "keep" on public.memo ${says}`);
    await expect(planMigration(db.pool, [], { protections: memoSoftDelete })).rejects.toThrow(says);
    // the other way round: protected first, then tracked with the field ignored
    await install(db.pool, [memo({})]);
    await install(db.pool, [], { protections: memoSoftDelete });
    const fromTrigger = 'Rowtrail: the soft delete of trigger rowtrail_protect_keep on public.memo ' + says;
    await expect(install(db.pool, [memo({ ignoreChanges: ['deleted_at'] })])).rejects.toThrow(fromTrigger);
    await expect(planMigration(db.pool, [memo({ ignoreChanges: ['deleted_at'] })])).rejects.toThrow(fromTrigger);
    // nothing changed: a delete is still recorded
    await db.pool.query(`INSERT INTO memo VALUES (1, NULL)`);
    await db.pool.query(`DELETE FROM memo WHERE id = 1`);
    expect((await db.pool.query(`SELECT operation, changes ? 'deleted_at' AS marked FROM rowtrail.event WHERE table_name = 'public.memo' ORDER BY event_id`)).rows)
      .toEqual([{ operation: 'INSERT', marked: true }, { operation: 'UPDATE', marked: true }]);
  });
});
