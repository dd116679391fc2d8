// untrack, and tracking a table again after it: the advice it prints works as printed, and no column the table's
// history left out (a secret) is recorded by an install that does not repeat --exclude.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { runCli } from './run-cli.test-support.js';

let db: TestDatabase;
let env: { DATABASE_URL: string };
beforeAll(async () => {
  db = await createTestDatabase('cli_untrack');
  env = { DATABASE_URL: db.url };
});
afterAll(() => db.drop());

const changes = async (table: string) => (await db.pool.query(`SELECT changes FROM rowtrail.event WHERE table_name = $1 ORDER BY event_id`, [table])).rows.map((r) => r.changes);
/** The words of a command the CLI printed, as a POSIX shell splits them (plain words and '…' quoting only). */
const words = (command: string) => [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]));

describe('rowtrail untrack, then install --table', () => {
  it('keeps the exclusions for the next install --table, and prints the command that tracks the table again with them', async () => {
    await db.pool.query(`CREATE TABLE account (id int PRIMARY KEY, email text, password_hash text, seen_at timestamptz)`);
    const installed = await runCli(['install', '--table', 'account', '--exclude', 'account.password_hash', '--ignore', 'account.seen_at'], env);
    expect([installed.code, installed.stderr]).toEqual([0, '']);
    const untracked = await runCli(['untrack', 'account'], env);
    expect([untracked.code, untracked.stderr]).toEqual([0, '']);
    expect(untracked.stdout).toBe('Stopped tracking public.account\nHistory kept: readable as before; '
      + 'rowtrail install --table public.account --exclude public.account.password_hash --ignore public.account.seen_at tracks it again, continuing its history without recording public.account.password_hash, as before; '
      + 'rowtrail untrack public.account --drop-history --yes drops it with its history.\n');

    // the printed command works as printed
    const printed = /readable as before; (rowtrail install .*?) tracks it again/.exec(untracked.stdout)![1];
    const followed = await runCli(words(printed).slice(1), env);
    expect([followed.code, followed.stderr]).toEqual([0, '']);
    expect((await db.pool.query(`SELECT excluded, ignored FROM rowtrail.tracked_table WHERE table_name = 'public.account'`)).rows)
      .toEqual([{ excluded: ['password_hash'], ignored: ['seen_at'] }]);

    // as the review did: install --table without --exclude after untrack still leaves the secret out, and says so
    expect((await runCli(['untrack', 'account'], env)).code).toBe(0);
    const again = await runCli(['install', '--table', 'account'], env);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).toContain('Still excluding public.account.password_hash (excluded by an earlier install; --record public.account.password_hash records it)\n');
    await db.pool.query(`INSERT INTO account VALUES (1, 'a@example.com', 'HASH-SECRET', NULL)`);
    await db.pool.query(`UPDATE account SET password_hash = 'HASH-2', email = 'b@example.com' WHERE id = 1`);
    expect(await changes('public.account')).toEqual([{ id: 1, email: 'a@example.com', seen_at: null }, { email: ['a@example.com', 'b@example.com'] }]);

    // recording it is asked for by name
    const recorded = await runCli(['install', '--table', 'account', '--record', 'account.password_hash'], env);
    expect([recorded.code, recorded.stderr]).toEqual([0, '']);
    expect(recorded.stdout).toContain('Recording public.account.password_hash, which an earlier install excluded (--record)\n');
    await db.pool.query(`UPDATE account SET password_hash = 'HASH-3' WHERE id = 1`);
    expect(JSON.stringify((await changes('public.account')).at(-1))).toContain('"password_hash":[');
    expect(JSON.stringify((await changes('public.account')).at(-1))).toContain('"HASH-3"]');
    const both = await runCli(['install', '--table', 'account', '--record', 'account.email', '--exclude', 'account.email'], env);
    expect([both.code, both.stderr]).toEqual([1, 'rowtrail: --record public.account.email: the column is given with --exclude too: give one\n']);
  });

  it('warns that an application\'s table is tracked again by its next install, and keeps an entity\'s exclusions too', async () => {
    await db.pool.query(`CREATE TABLE widget (id int PRIMARY KEY, name text, secret text)`);
    await install(db.pool, [{ schema: 'public', table: 'widget', primaryKey: ['id'], label: 'snapshot', exclude: ['secret'], ignoreChanges: [],
      columns: [{ name: 'id', type: 'integer' }, { name: 'name', type: 'text' }, { name: 'secret', type: 'text' }] }]);
    const untracked = await runCli(['untrack', 'widget'], env);
    expect(untracked.code).toBe(0);
    expect(untracked.stdout).toBe('Stopped tracking public.widget\nHistory kept: readable as before; rowtrail untrack public.widget --drop-history --yes drops it with its history.\n');
    expect(untracked.stderr).toBe('Warning: public.widget is declared by an application (a @Tracked entity): its next install from the entities (rowtrail install --data-source, installTracked(), '
      + 'a generated migration) tracks it again; to stop tracking it for good, remove the decorator and run rowtrail prune --data-source <module>\n');
    const again = await runCli(['install', '--table', 'widget'], env);
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).toContain('Still excluding public.widget.secret');
    await db.pool.query(`INSERT INTO widget VALUES (1, 'w', 'SECRET')`);
    expect(await changes('public.widget')).toEqual([{ id: 1, name: 'w' }]);
  });

  it('refuses --drop-history without --yes, deleting nothing; with it, names the exclusions a new history needs', async () => {
    await db.pool.query(`CREATE TABLE vault (id int PRIMARY KEY, pin text)`);
    expect((await runCli(['install', '--table', 'vault', '--exclude', 'vault.pin'], env)).code).toBe(0);
    const refused = await runCli(['untrack', 'vault', '--drop-history'], env);
    expect([refused.code, refused.stderr]).toEqual([1, 'rowtrail: untrack --drop-history deletes the history tables of vault, with their recorded history: pass --yes to confirm; without --drop-history the history is kept\n']);
    expect((await db.pool.query(`SELECT to_regclass('rowtrail.vault_history') IS NOT NULL AS kept`)).rows).toEqual([{ kept: true }]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'vault'::regclass`)).rows).toEqual([{ n: 5 }]);
    const dropped = await runCli(['untrack', 'vault', '--drop-history', '--yes'], env);
    expect([dropped.code, dropped.stderr]).toEqual([0, '']);
    expect(dropped.stdout).toBe('Stopped tracking public.vault\nDropped history table rowtrail.vault_history\n'
      + 'rowtrail install --table public.vault --exclude public.vault.pin tracks it again (a new history) with the exclusions it had: without --exclude it would record public.vault.pin\n');
  });

  it('refuses prune --drop-history without --yes', async () => {
    const refused = await runCli(['prune', '--data-source', 'no-module-needed.js', '--drop-history'], env);
    expect([refused.code, refused.stderr]).toEqual([1, 'rowtrail: prune --drop-history deletes the history tables no entity declares, with their recorded history (status lists them as orphaned history-table): '
      + 'pass --yes to confirm; without --drop-history they are kept\n']);
  });
});
