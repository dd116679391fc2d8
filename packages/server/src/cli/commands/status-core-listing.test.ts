// `rowtrail status` lists the core migrations that are installed as one line, and each one that is not on its own line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSqlMigrations } from '../../install/sql-files.js';
import type { StatusEntry } from '../../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { runCli } from './run-cli.test-support.js';
import { statusLines } from './status-command.js';

const migrations = loadSqlMigrations();
const total = migrations.length;
const last = migrations.at(-1)!;
const core = (name: string, state: StatusEntry['state'], detail?: string): StatusEntry => ({ kind: 'core-migration', table: '', name, state, ...(detail ? { detail } : {}) });

describe('statusLines', () => {
  it('collapses the installed core migrations into one line, in the columns of the others', () => {
    const capture: StatusEntry = { kind: 'capture', table: 'public.account', name: 'capture', state: 'installed' };
    expect(statusLines([...migrations.map((m) => core(m.name, 'installed')), capture])).toEqual([
      `installed core-migration -                            ${total} of ${total} migrations, core version ${last.id}`,
      'installed capture        public.account               capture',
    ]);
  });

  it('keeps each core migration that is not installed on its own line, with its detail, after the installed ones', () => {
    const entries = migrations.map((m, i) => (i === 1 ? core(m.name, 'outdated', 'modified since install') : m === last ? core(m.name, 'missing') : core(m.name, 'installed')));
    expect(statusLines(entries)).toEqual([
      `installed core-migration -                            ${total - 2} of ${total} migrations, core version ${migrations.at(-2)!.id}`,
      `outdated  core-migration -                            ${migrations[1].name}  modified since install`,
      `missing   core-migration -                            ${last.name}`,
    ]);
  });

  it('has no collapsed line when no core migration is installed', () => {
    expect(statusLines(migrations.map((m) => core(m.name, 'missing')))).toEqual(migrations.map((m) => `missing   core-migration -                            ${m.name}`));
  });
});

describe('rowtrail status: core migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('cli_status_core_listing');
  });
  afterAll(() => db.drop());

  it('prints one line for the installed ones, one per core migration that is not, and --json every entry', async () => {
    const env = { DATABASE_URL: db.url };
    const empty = await runCli(['status'], env);
    expect(empty.stdout.match(/^missing\s+core-migration\s+-\s+\S+$/gm)).toHaveLength(total);
    expect(empty.stdout).not.toMatch(/^installed\s+core-migration/m);

    expect((await runCli(['install'], env)).code).toBe(0);
    const installed = await runCli(['status', '--check'], env);
    expect([installed.code, installed.stderr]).toEqual([0, '']);
    expect(installed.stdout).toBe(`installed core-migration -                            ${total} of ${total} migrations, core version ${last.id}\nEverything is installed.\n`);

    await db.pool.query(`UPDATE rowtrail.migrations SET hash = 'f00d' WHERE id = $1`, [migrations[1].id]);
    await db.pool.query(`DELETE FROM rowtrail.migrations WHERE id = $1`, [last.id]);
    const behind = await runCli(['status'], env);
    expect(behind.stdout.split('\n').slice(0, 3)).toEqual([
      `installed core-migration -                            ${total - 2} of ${total} migrations, core version ${migrations.at(-2)!.id}`,
      expect.stringMatching(new RegExp(`^outdated  core-migration -\\s+${migrations[1].name}  modified since install \\(applied f00d, now \\w{12}\\): sql/\\S+ is not run again; add a new migration file instead$`)),
      `missing   core-migration -                            ${last.name}`,
    ]);
    expect(behind.stdout).toMatch(/\nNot up to date: run rowtrail install\.\n$/);

    // --json keeps one entry per core migration, installed ones included
    const json = JSON.parse((await runCli(['status', '--json'], env)).stdout) as { entries: StatusEntry[] };
    const listed = json.entries.filter((e) => e.kind === 'core-migration');
    expect(listed.map((e) => e.name)).toEqual(migrations.map((m) => m.name));
    expect(listed.filter((e) => e.state === 'installed')).toHaveLength(total - 2);
    expect(listed.find((e) => e.name === last.name)).toEqual({ kind: 'core-migration', table: '', name: last.name, state: 'missing' });
  });
});
