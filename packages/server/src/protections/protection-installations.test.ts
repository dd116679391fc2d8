// Two Rowtrail installations (two Rowtrail schemas) in one database: protection trigger names do not carry the Rowtrail
// schema, so install and generated migrations refuse to replace the trigger of another installation's protection of the
// same name on the same table (as capture refuses a table another installation tracks), and status says whose it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { status } from '../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { runAsMigration } from '../testing/run-as-migration.js';
import { protectedTable } from '../testing/tracked-spec.js';
import type { ProtectionSpec } from './protection-spec.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('protection_installations');
  await db.pool.query(`CREATE TABLE t (id int PRIMARY KEY, code text)`);
  await db.pool.query(`INSERT INTO t VALUES (1, 'a')`);
});
afterAll(() => db.drop());

const guard = (name: string, ...operations: Array<'update' | 'delete' | 'truncate'>): ProtectionSpec => ({ kind: 'protect', name, operations });
/** The protection triggers on t, with the schema of the function each runs and its events. */
const owners = async () => (await db.pool.query(
  `SELECT t.tgname AS trigger, n.nspname AS schema, t.tgtype FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
   JOIN pg_namespace n ON n.oid = p.pronamespace WHERE t.tgrelid = 't'::regclass AND NOT t.tgisinternal ORDER BY 1`,
)).rows;
const refused = (sql: string) => db.pool.query(sql).then(() => false, (e: { code?: string }) => e.code === 'RT001');
const protectionEntries = async (schema: string, protections: ProtectionSpec[]) =>
  (await status(db.pool, [], { schema, protections: protectedTable('t', ...protections) })).entries.filter((e) => e.kind === 'protection');

const REFUSAL = /cannot install protection "p2" on public\.t in schema "audit": its trigger rowtrail_protect_p2 on public\.t runs a function of the Rowtrail installation in schema "rowtrail"/;

describe('a protection whose trigger another Rowtrail installation has on the table', () => {
  it('install refuses it, naming the table, the trigger and the other schema, and changes nothing', async () => {
    await install(db.pool, [], { schema: 'rowtrail', protections: protectedTable('t', guard('p2', 'update')) });
    const before = await owners();
    expect(before.map((r) => [r.trigger, r.schema])).toEqual([['rowtrail_protect_p2', 'rowtrail']]);

    await expect(install(db.pool, [], { schema: 'audit', protections: protectedTable('t', guard('p2', 'delete')) })).rejects.toThrow(REFUSAL);
    expect(await owners()).toEqual(before);
    // the whole install was rolled back: not even the core of schema audit is left
    expect((await db.pool.query(`SELECT to_regnamespace('audit') AS s`)).rows).toEqual([{ s: null }]);
    expect(await refused(`UPDATE t SET code = 'x'`)).toBe(true);
  });

  it('status of the other installation says whose trigger it is; the owner\'s status is unchanged', async () => {
    await install(db.pool, [], { schema: 'audit' }); // its core only
    expect(await protectionEntries('audit', [guard('p2', 'delete')])).toEqual([expect.objectContaining({
      name: 'p2', state: 'outdated',
      detail: expect.stringMatching(/trigger rowtrail_protect_p2 on public\.t runs a function of the Rowtrail installation in schema "rowtrail"/),
    })]);
    expect((await protectionEntries('rowtrail', [guard('p2', 'update')])).map((e) => e.state)).toEqual(['installed']);
  });

  it('a generated migration refuses it when planned, and again where it runs, changing nothing', async () => {
    await expect(planMigration(db.pool, [], { schema: 'audit', protections: protectedTable('t', guard('p2', 'delete')) })).rejects.toThrow(REFUSAL);
    // planned before the other installation's protection of the name existed: its statements refuse it where it runs
    const plan = await planMigration(db.pool, [], { schema: 'audit', protections: protectedTable('t', guard('p3', 'delete')) });
    await install(db.pool, [], { schema: 'rowtrail', protections: protectedTable('t', guard('p2', 'update'), guard('p3', 'update')) });
    const before = await owners();
    await expect(runAsMigration(db.pool, plan.up)).rejects.toThrow(/cannot install protection "p3" on public\.t in schema "audit": its trigger rowtrail_protect_p3 on public\.t runs a function of the Rowtrail installation in schema "rowtrail"/);
    expect(await owners()).toEqual(before);
    expect(await refused(`UPDATE t SET code = 'x'`)).toBe(true);
    await install(db.pool, [], { schema: 'rowtrail', protections: protectedTable('t', guard('p2', 'update')) });
  });

  it('also refuses one that would drop the other installation\'s trigger as a stale one of its name', async () => {
    // audit's "g" protects truncate (rowtrail_protect_g_truncate); rowtrail's "g" protects delete only, and
    // would drop rowtrail_protect_g_truncate as the trigger an earlier definition of its "g" left
    await install(db.pool, [], { schema: 'audit', protections: protectedTable('t', guard('g', 'truncate')) });
    const before = await owners();
    await expect(install(db.pool, [], { schema: 'rowtrail', protections: protectedTable('t', guard('p2', 'update'), guard('g', 'delete')) }))
      .rejects.toThrow(/cannot install protection "g" on public\.t in schema "rowtrail": its trigger rowtrail_protect_g_truncate on public\.t runs a function of the Rowtrail installation in schema "audit"/);
    expect(await owners()).toEqual(before);
  });

  it('leaves protections of different names on one table to each installation', async () => {
    await install(db.pool, [], { schema: 'audit', protections: protectedTable('t', guard('g', 'truncate'), guard('keep', 'delete')) });
    expect((await owners()).map((r) => [r.trigger, r.schema])).toEqual([
      ['rowtrail_protect_g_truncate', 'audit'], ['rowtrail_protect_keep', 'audit'], ['rowtrail_protect_p2', 'rowtrail'],
    ]);
    expect((await install(db.pool, [], { schema: 'rowtrail', protections: protectedTable('t', guard('p2', 'update')) })).updatedProtections).toEqual([]);
    expect(await refused(`UPDATE t SET code = 'x'`)).toBe(true);
    expect(await refused(`DELETE FROM t`)).toBe(true);
    expect((await protectionEntries('audit', [guard('g', 'truncate'), guard('keep', 'delete')])).map((e) => e.state)).toEqual(['installed', 'installed']);
  });
});
