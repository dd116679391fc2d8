// A protection renamed or removed from a table that still declares others: install and generated migrations drop its
// triggers, which otherwise kept refusing writes (and ignore() under the new name did not reach them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { status } from '../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { runAsMigration } from '../testing/run-as-migration.js';
import { protectedTable } from '../testing/tracked-spec.js';
import type { ProtectedTableSpec, ProtectionSpec } from './protection-spec.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('undeclared_protections');
  await db.pool.query(`CREATE TABLE doc (id int PRIMARY KEY, title text, version int NOT NULL DEFAULT 0)`);
  await db.pool.query(`INSERT INTO doc VALUES (1, 'a', 0)`);
});
afterAll(() => db.drop());

const doc = (...protections: ProtectionSpec[]): ProtectedTableSpec[] => protectedTable('doc', ...protections);
const frozen: ProtectionSpec = { kind: 'read_only', name: 'frozen', fields: ['title'] };
const locked: ProtectionSpec = { kind: 'read_only', name: 'locked', fields: ['title'] };
const versioned: ProtectionSpec = { kind: 'versioned', name: 'versioned', field: 'version' };
const triggers = async () => (await db.pool.query(
  `SELECT tgname FROM pg_trigger WHERE tgrelid = 'doc'::regclass AND NOT tgisinternal ORDER BY 1`,
)).rows.map((r) => r.tgname);
const functions = async () => (await db.pool.query(
  `SELECT proname FROM pg_proc WHERE pronamespace = 'rowtrail'::regnamespace AND obj_description(oid, 'pg_proc') LIKE 'rowtrail:%' ORDER BY 1`,
)).rows.map((r) => r.proname);
const notInstalled = async (specs: ProtectedTableSpec[]) =>
  (await status(db.pool, [], { protections: specs })).entries.filter((e) => e.state !== 'installed').map((e) => `${e.kind} ${e.name}: ${e.state}`);

describe('protections a table no longer declares', () => {
  it('are removed by install: a renamed one no longer refuses under its old name, a removed one no longer bumps', async () => {
    await install(db.pool, [], { protections: doc(frozen, versioned) });
    expect(await triggers()).toEqual(['rowtrail_protect_frozen', 'rowtrail_protect_versioned', 'rowtrail_protect_versioned_bump']);
    const result = await install(db.pool, [], { protections: doc(locked) });
    expect(result.updatedProtections).toEqual([
      'public.doc:locked', 'public.doc:rowtrail_protect_frozen (removed)', 'public.doc:rowtrail_protect_versioned (removed)', 'public.doc:rowtrail_protect_versioned_bump (removed)',
    ]);
    expect(await triggers()).toEqual(['rowtrail_protect_locked']);
    expect(await functions()).toEqual([]);
    await expect(db.pool.query(`UPDATE doc SET title = 'b'`)).rejects.toMatchObject({ message: expect.stringContaining('locked') });
    await db.pool.query(`UPDATE doc SET version = 5`); // no versioned guard, no bump
    expect((await db.pool.query(`SELECT version FROM doc`)).rows[0].version).toBe(5);
    expect(await notInstalled(doc(locked))).toEqual([]);
  });

  it('are removed by a generated migration, whose down brings them back', async () => {
    await install(db.pool, [], { protections: doc(frozen, versioned) });
    await install(db.pool, [], { protections: doc(locked, frozen, versioned) }); // all three, as the entity had them
    const plan = await planMigration(db.pool, [], { protections: doc(locked) });
    expect(plan.changes).toEqual([
      'remove protection trigger rowtrail_protect_frozen from public.doc (no longer declared)',
      'remove protection trigger rowtrail_protect_versioned from public.doc (no longer declared)',
      'remove protection trigger rowtrail_protect_versioned_bump from public.doc (no longer declared)',
    ]);
    await runAsMigration(db.pool, plan.up);
    expect(await triggers()).toEqual(['rowtrail_protect_locked']);
    expect((await planMigration(db.pool, [], { protections: doc(locked) })).changes).toEqual([]);
    await runAsMigration(db.pool, plan.down);
    expect(await triggers()).toEqual(['rowtrail_protect_frozen', 'rowtrail_protect_locked', 'rowtrail_protect_versioned', 'rowtrail_protect_versioned_bump']);
    await expect(db.pool.query(`UPDATE doc SET version = 9`)).rejects.toMatchObject({ message: expect.stringContaining('versioned') });
  });

  it('are only this installation\'s: a trigger of another Rowtrail schema on the table is left alone; partitions too', async () => {
    await install(db.pool, [], { protections: doc(locked) });
    await install(db.pool, [], { schema: 'audit', protections: doc({ kind: 'protect', name: 'nodelete', operations: ['delete'] }) });
    expect((await install(db.pool, [], { protections: doc(locked) })).updatedProtections).toEqual([]);
    expect(await triggers()).toEqual(['rowtrail_protect_locked', 'rowtrail_protect_nodelete']);
    // a partitioned table and a partition, each with its own protection: the partition's clone of the parent's stays
    await db.pool.query(`CREATE TABLE part (id int, k int, title text, PRIMARY KEY (id, k)) PARTITION BY LIST (k); CREATE TABLE part_1 PARTITION OF part FOR VALUES IN (1)`);
    const parted = (table: string, p: ProtectionSpec): ProtectedTableSpec => ({ schema: 'public', table, primaryKey: ['id', 'k'], protections: [p] });
    const specs = [parted('part', locked), parted('part_1', { kind: 'protect', name: 'nodelete', operations: ['delete'] })];
    await install(db.pool, [], { protections: specs });
    expect((await planMigration(db.pool, [], { protections: specs })).changes).toEqual([]);
  });

  it('are left alone on a table whose declaration has no protection (prune removes those)', async () => {
    await install(db.pool, [], { protections: doc(locked) });
    await db.pool.query(`CREATE TABLE other (id int PRIMARY KEY, title text)`);
    await install(db.pool, [], { protections: [{ schema: 'public', table: 'other', primaryKey: ['id'], protections: [locked] }] });
    expect((await install(db.pool, [], { protections: doc(locked) })).updatedProtections).toEqual([]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'other'::regclass AND NOT tgisinternal`)).rows[0].n).toBe(1);
  });
});
