// A trigger disabled by hand, or a generated function replaced by hand, keeps its hash comment: status still reports it and install repairs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from '../install/installer.js';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { databaseStatus } from './database-status.js';
import { planMigration } from './migration-plan.js';
import { status, type RowtrailStatus } from './status.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('disabled_triggers');
  await db.pool.query(`CREATE TABLE acct (id int PRIMARY KEY, owner text, note text, version int NOT NULL DEFAULT 0)`);
  await db.pool.query(`INSERT INTO acct VALUES (1, 'alice', 'a', 0)`);
});
afterAll(() => db.drop());

const acct: TrackedTableSpec = {
  schema: 'public', table: 'acct', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'owner', type: 'text' }, { name: 'note', type: 'text' }, { name: 'version', type: 'integer' }],
};
const protections: ProtectedTableSpec[] = [{
  schema: 'public', table: 'acct', primaryKey: ['id'],
  protections: [{ kind: 'read_only', name: 'frozen', fields: ['owner'] }, { kind: 'versioned', name: 'rev', field: 'version' }],
}];
const notInstalled = (s: RowtrailStatus) => s.entries.filter((e) => e.state !== 'installed').map((e) => `${e.kind} ${e.table} ${e.name}: ${e.state} (${e.detail})`);
const historyCount = async () => (await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.acct_history`)).rows[0].n as number;

describe('triggers and functions changed by hand', () => {
  it('a disabled capture, protection or append-only trigger is outdated, named in the detail, and install enables it again', async () => {
    await install(db.pool, [acct], { protections });
    await db.pool.query(`ALTER TABLE acct DISABLE TRIGGER rowtrail_protect_frozen, DISABLE TRIGGER rowtrail_capture_update`);
    await db.pool.query(`ALTER TABLE rowtrail.acct_history ENABLE REPLICA TRIGGER rowtrail_append_only`);

    const fix = 'install (or a generated migration) re-creates it';
    expect(notInstalled(await status(db.pool, [acct], { protections }))).toEqual([
      `capture public.acct capture: outdated (trigger rowtrail_capture_update on public.acct is disabled: writes it should see are not handled; ${fix})`,
      `append-only rowtrail.acct_history append_only: outdated (trigger rowtrail_append_only on rowtrail.acct_history is enabled for replication sessions only: writes it should see are not handled; ${fix})`,
      `protection public.acct frozen: outdated (trigger rowtrail_protect_frozen on public.acct is disabled: writes it should see are not handled; ${fix})`,
    ]);
    expect(notInstalled(await databaseStatus(db.pool)).map((e) => e.replace(/ \(.*/, ''))).toEqual([
      'capture public.acct capture: outdated', 'append-only rowtrail.acct_history append_only: outdated', 'protection public.acct frozen: outdated',
    ]);
    expect((await planMigration(db.pool, [acct], { protections })).changes).toEqual([
      'history capture of public.acct (no column change)', 'protection append_only on rowtrail.acct_history', 'protection frozen on public.acct',
    ]);

    const result = await install(db.pool, [acct], { protections });
    expect([result.updatedTables, result.updatedProtections]).toEqual([['public.acct'], ['public.acct:frozen']]);
    expect(notInstalled(await status(db.pool, [acct], { protections }))).toEqual([]);
    const before = await historyCount();
    await db.pool.query(`UPDATE acct SET note = 'b' WHERE id = 1`);
    expect(await historyCount()).toBe(before + 1);
    await expect(db.pool.query(`UPDATE acct SET owner = 'mallory' WHERE id = 1`)).rejects.toMatchObject({ code: 'RT001' });
    await expect(db.pool.query(`DELETE FROM rowtrail.acct_history`)).rejects.toMatchObject({ code: 'RT001' });
  });

  it('a capture or protection function whose body was replaced is outdated, and install puts the generated one back', async () => {
    await db.pool.query(`CREATE OR REPLACE FUNCTION rowtrail.acct_history_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`);
    const { rows: [{ bump }] } = await db.pool.query(`SELECT tgfoid::regproc::text AS bump FROM pg_trigger WHERE tgname = 'rowtrail_protect_rev_bump'`);
    await db.pool.query(`CREATE OR REPLACE FUNCTION ${bump}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`);

    expect(notInstalled(await status(db.pool, [acct], { protections }))).toEqual([
      'capture public.acct capture: outdated (function "rowtrail"."acct_history_insert"() (run by triggers on public.acct) differs from the one Rowtrail generated: install (or a generated migration) replaces it)',
      expect.stringMatching(/^protection public\.acct rev: outdated \(function "rowtrail"\."acct_rev_bump_[0-9a-f]+"\(\) \(run by triggers on public\.acct\) differs from the one Rowtrail generated/),
    ]);
    const result = await install(db.pool, [acct], { protections });
    expect([result.updatedTables, result.updatedProtections]).toEqual([['public.acct'], ['public.acct:rev']]);
    expect(notInstalled(await status(db.pool, [acct], { protections }))).toEqual([]);
    const before = await historyCount();
    await db.pool.query(`INSERT INTO acct VALUES (2, 'bob', 'x', 0)`);
    await db.pool.query(`UPDATE acct SET note = 'y' WHERE id = 2`);
    expect(await historyCount()).toBe(before + 2);
    expect((await db.pool.query(`SELECT version FROM acct WHERE id = 2`)).rows).toEqual([{ version: 1 }]);
  });
});
