// An older release's install on a schema a later release of Rowtrail installed (an old instance restarting during a
// rolling deploy) changes nothing: it would write its older capture and protection functions over the later ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec, protectedTable } from '../testing/tracked-spec.js';
import { install } from './installer.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { runCli } from '../cli/commands/run-cli.test-support.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('later_release');
  await db.pool.query(`CREATE TABLE item (id integer PRIMARY KEY, v text, note text)`);
  await install(db.pool, [idValueSpec('item')]);
});
afterAll(() => db.drop());

const captureBody = async () => (await db.pool.query(`SELECT prosrc FROM pg_proc WHERE oid = 'rowtrail.item_history_update'::regproc`)).rows[0].prosrc as string;

describe('install on a schema a later release of Rowtrail installed', () => {
  it('changes nothing, warns, and says which version it found', async () => {
    // the later release's capture (here: one written by hand) and its core file, which this release does not have
    await db.pool.query(`CREATE OR REPLACE FUNCTION rowtrail.item_history_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; /* later */ END $$`);
    await db.pool.query(`INSERT INTO rowtrail.migrations (id, name, hash) VALUES (999999, 'from_a_later_release', 'x')`);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const result = await install(db.pool, [idValueSpec('item', 'text', { columns: [{ name: 'id', type: 'integer' }, { name: 'v', type: 'text' }, { name: 'note', type: 'text' }] })],
        { protections: protectedTable('item', { kind: 'protect', name: 'keep', operations: ['delete'] }) });
      expect(result).toMatchObject({ appliedMigrations: [], updatedTables: [], updatedProtections: [], restoredFunctions: [], laterRelease: 999999 });
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
      await db.pool.query(`DELETE FROM rowtrail.migrations WHERE id = 999999`);
    }
    expect(warnings.map((w) => (w as Error & { code?: string }).code)).toEqual(['ROWTRAIL_LATER_RELEASE']);
    expect(warnings[0].message).toMatch(/has core version 999999, installed by a later release of Rowtrail than this one \(version \d+\): this install changed nothing/);
    expect(await captureBody()).toContain('/* later */');
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'item'::regclass AND tgname LIKE 'rowtrail_protect_%'`)).rows[0].n).toBe(0);
    // the same release again, once the later one is gone: it installs as before
    expect((await install(db.pool, [idValueSpec('item')])).updatedTables).toEqual(['public.item']);
    expect(await captureBody()).not.toContain('/* later */');
  });

  it('rowtrail install says nothing was installed, and the warning why; a migration is not planned', async () => {
    await db.pool.query(`INSERT INTO rowtrail.migrations (id, name, hash) VALUES (999999, 'from_a_later_release', 'x')`);
    try {
      const result = await runCli(['install', '--table', 'item'], { DATABASE_URL: db.url });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('Nothing was installed: Rowtrail schema "rowtrail" has core version 999999, from a later release of Rowtrail than this one\n');
      expect(result.stderr).toMatch(/ROWTRAIL_LATER_RELEASE|installed by a later release of Rowtrail/);
      await expect(planMigration(db.pool, [idValueSpec('item')])).rejects.toThrow(/has core version 999999, installed by a later release of Rowtrail than this one .*nothing was planned/);
    } finally {
      await db.pool.query(`DELETE FROM rowtrail.migrations WHERE id = 999999`);
    }
  });
});
