// status and prune output that says what is so: a partly missing capture names its missing triggers, prune's lines do not
// say why something was not pruned, and advice under another --schema carries it, so that it works as printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { widgetModule } from './entity-module.test-support.js';
import { runCli } from './run-cli.test-support.js';

let db: TestDatabase;
let env: { DATABASE_URL: string };
let module: string;
beforeAll(async () => {
  db = await createTestDatabase('cli_status_edges');
  env = { DATABASE_URL: db.url };
  await db.pool.query(`CREATE TABLE widget (id int PRIMARY KEY, name text)`);
  module = await widgetModule(db.url);
});
afterAll(() => db.drop());

describe('a capture with one trigger dropped by hand', () => {
  it('names the missing trigger, with and without --data-source', async () => {
    expect((await runCli(['install', '--data-source', module])).code).toBe(0);
    await db.pool.query(`DROP TRIGGER rowtrail_capture_update ON widget`);
    const detail = 'trigger rowtrail_capture_update on public.widget is missing: writes it should see are not handled; install (or a generated migration) re-creates it';
    const plain = await runCli(['status'], env);
    expect(plain.stdout).toMatch(/^outdated\s+capture\s+public\.widget\s+capture {2}(.*)$/m);
    expect(/^outdated\s+capture\s+public\.widget\s+capture {2}(.*)$/m.exec(plain.stdout)![1]).toBe(detail);
    const declared = await runCli(['status', '--data-source', module]);
    expect(/^outdated\s+capture\s+public\.widget\s+capture {2}(.*)$/m.exec(declared.stdout)?.[1]).toBe(detail);
    expect((await runCli(['install', '--data-source', module])).code).toBe(0);
    expect((await runCli(['status', '--check'], env)).code).toBe(0);
  });
});

describe('prune', () => {
  it('lists what it removed without status\'s "not this one\'s to prune", and names --allow-empty as a flag', async () => {
    const empty = await widgetModule(db.url, false);
    const refused = await runCli(['prune', '--data-source', empty]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('If that is what you want, pass --allow-empty (rowtrail prune --allow-empty); to remove Rowtrail altogether');
    expect(refused.stderr).not.toContain('allowEmpty');
    const pruned = await runCli(['prune', '--data-source', empty, '--allow-empty']);
    expect([pruned.code, pruned.stderr]).toEqual([0, '']);
    expect(pruned.stdout).toMatch(/^removed {2}trigger\s+public\.widget\s+rowtrail_capture_insert$/m);
    expect(pruned.stdout).not.toContain('not this one\'s to prune');
    expect(pruned.stdout).toMatch(/\nPruned \d+ object\(s\)\.\n$/);
  });
});

describe('advice under --schema other than the default', () => {
  it('carries --schema in every command it advises, which then works as printed', async () => {
    await db.pool.query(`CREATE TABLE note (id int PRIMARY KEY, body text); CREATE TABLE old_log (id int PRIMARY KEY)`);
    const missing = await runCli(['--schema', 'audit', 'untrack', 'note'], env);
    expect(missing.stderr).toBe('rowtrail: Rowtrail is not installed in this database (no schema "audit" with its tracked_table registry): run "rowtrail install --schema audit" first\n');
    const spaced = await runCli(['--schema', 'audit log', 'untrack', 'note'], env);
    expect(spaced.stderr).toContain(`run "rowtrail install --schema 'audit log'" first`);
    expect((await runCli(['--schema', 'audit', 'install', '--table', 'note', '--table', 'old_log'], env)).code).toBe(0);

    const untracked = await runCli(['--schema', 'audit', 'untrack', 'old_log'], env);
    expect(untracked.stdout).toContain('History kept: readable as before; rowtrail install --table public.old_log --schema audit tracks it again, continuing its history; '
      + 'rowtrail untrack public.old_log --drop-history --yes --schema audit drops it with its history.\n');

    await db.pool.query(`ALTER TABLE note ADD COLUMN pinned boolean`);
    const status = await runCli(['--schema', 'audit', 'status'], env);
    const advice = /\nNot up to date: (.*)\n$/.exec(status.stdout)![1];
    expect(advice).toBe('run rowtrail install --table public.note --schema audit for the tables tracked with install --table; history tables no tracked table writes to are kept: '
      + 'rowtrail untrack <table> --drop-history --yes --schema audit drops the history of a table untracked with untrack, prune --data-source <module> --drop-history --yes --schema audit drops every one (with their history).');
    const followed = await runCli(advice.slice('run rowtrail '.length, advice.indexOf(' for the tables')).split(' '), env);
    expect([followed.code, followed.stderr]).toEqual([0, '']);
    const dropped = await runCli(['untrack', 'public.old_log', '--drop-history', '--yes', '--schema', 'audit'], env);
    expect([dropped.code, dropped.stderr]).toEqual([0, '']);
    expect((await runCli(['--schema', 'audit', 'status', '--check'], env)).code).toBe(0);

    // an application's table: the --data-source commands carry it too
    await db.pool.query(`DROP TRIGGER rowtrail_capture_delete ON note`);
    await db.pool.query(`UPDATE audit.tracked_table SET declared_by = 'application' WHERE table_name = 'public.note'`);
    expect((await runCli(['--schema', 'audit', 'status'], env)).stdout).toMatch(/\nNot up to date: run rowtrail install --data-source <module> --schema audit \(installTracked\(\) in code; without --data-source, install brings only the core up to date\), prune --data-source <module> --schema audit, or generate a migration \(rowtrail migration:generate --data-source <module> --schema audit\)\.\n$/);
  });
});
