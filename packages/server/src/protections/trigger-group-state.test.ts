// A protection whose definition changes under the same name leaves nothing behind: install and generated migrations drop what it no longer has.
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
  db = await createTestDatabase('trigger_group_state');
  await db.pool.query(`CREATE TABLE ledger (id int PRIMARY KEY, note text, version int NOT NULL DEFAULT 0)`);
  await db.pool.query(`INSERT INTO ledger VALUES (1, 'a', 0)`);
});
afterAll(() => db.drop());

const ledger = (...protections: ProtectionSpec[]): ProtectedTableSpec[] => protectedTable('ledger', ...protections);
const notInstalled = async (specs: ProtectedTableSpec[]) =>
  (await status(db.pool, [], { protections: specs })).entries.filter((e) => e.state !== 'installed').map((e) => `${e.kind} ${e.name}: ${e.state}`);
const triggers = async (protection: string) => (await db.pool.query(
  `SELECT tgname FROM pg_trigger WHERE tgrelid = 'ledger'::regclass AND NOT tgisinternal AND starts_with(tgname, $1) ORDER BY 1`,
  [`rowtrail_protect_${protection}`],
)).rows.map((r) => r.tgname);
const truncateRefused = async () => {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    return await client.query('TRUNCATE ledger').then(() => false, (e: { code?: string }) => e.code === 'RT001');
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
};

const runAll = (statements: string[]) => runAsMigration(db.pool, statements);

describe('a protection that no longer has some of its triggers', () => {
  const both = ledger({ kind: 'protect', name: 'guard', operations: ['delete', 'truncate'] });
  const deleteOnly = ledger({ kind: 'protect', name: 'guard', operations: ['delete'] });

  it('install drops the trigger the new definition lacks', async () => {
    await install(db.pool, [], { protections: both });
    expect(await truncateRefused()).toBe(true);
    await install(db.pool, [], { protections: deleteOnly });
    expect(await triggers('guard')).toEqual(['rowtrail_protect_guard']);
    expect(await truncateRefused()).toBe(false);
    expect(await notInstalled(deleteOnly)).toEqual([]);
  });

  it('status reports one left behind as outdated, the generated migration drops it and its down restores it', async () => {
    // what an earlier install left: the group installed by hash, its old truncate trigger still there
    await db.pool.query(`CREATE TRIGGER rowtrail_protect_guard_truncate BEFORE TRUNCATE ON ledger FOR EACH STATEMENT EXECUTE FUNCTION rowtrail.protect('guard', 'protect')`);
    expect(await notInstalled(deleteOnly)).toEqual(['protection guard: outdated', 'trigger rowtrail_protect_guard_truncate: orphaned']);
    const plan = await planMigration(db.pool, [], { protections: deleteOnly });
    expect(plan.up).toContain('DROP TRIGGER IF EXISTS "rowtrail_protect_guard_truncate" ON "public"."ledger"');
    await runAll(plan.up);
    expect(await truncateRefused()).toBe(false);
    expect(await notInstalled(deleteOnly)).toEqual([]);
    await runAll(plan.down);
    expect(await truncateRefused()).toBe(true);
    await install(db.pool, [], { protections: deleteOnly });
    expect(await notInstalled(deleteOnly)).toEqual([]);
  });

  it('a Versioned protection that becomes another kind under the same name loses its increment trigger and function', async () => {
    const versioned = ledger({ kind: 'protect', name: 'guard', operations: ['delete'] }, { kind: 'versioned', name: 'rev', field: 'version' });
    const readOnly = ledger({ kind: 'protect', name: 'guard', operations: ['delete'] }, { kind: 'read_only', name: 'rev', fields: ['note'] });
    await install(db.pool, [], { protections: versioned });
    await db.pool.query(`UPDATE ledger SET note = 'b'`);
    expect((await db.pool.query(`SELECT version FROM ledger`)).rows).toEqual([{ version: 1 }]);

    const plan = await planMigration(db.pool, [], { protections: readOnly });
    await runAll(plan.up);
    expect(await triggers('rev')).toEqual(['rowtrail_protect_rev']);
    expect(await notInstalled(readOnly)).toEqual([]);
    await expect(db.pool.query(`UPDATE ledger SET note = 'c'`)).rejects.toMatchObject({ code: 'RT001' });
    await db.pool.query(`UPDATE ledger SET version = 5`); // no longer versioned
    await runAll(plan.down);
    expect(await triggers('rev')).toEqual(['rowtrail_protect_rev', 'rowtrail_protect_rev_bump']);
    expect(await notInstalled(versioned)).toEqual([]);

    await install(db.pool, [], { protections: readOnly });
    expect(await triggers('rev')).toEqual(['rowtrail_protect_rev']);
    expect(await notInstalled(readOnly)).toEqual([]);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_proc WHERE proname LIKE 'ledger_rev_%'`);
    expect(rows).toEqual([{ n: 0 }]);
  });
});
