import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_TRIGGER_NAMES } from '../../ddl/capture-ddl.js';
import { createFixtureTables } from '../../query/history-fixture.test-support.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { runCli } from './run-cli.test-support.js';

const FIXTURE = fileURLToPath(new URL('../../typeorm/protection-cli-fixture.ts', import.meta.url));
let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase('cli_lifecycle');
  await db.pool.query(`CREATE TABLE ticket (id int PRIMARY KEY, state text NOT NULL DEFAULT 'open')`);
  dir = await mkdtemp(join(tmpdir(), 'rowtrail-cli-migrations-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

const cli = (args: string[], variant = '1') => runCli([...args, '--data-source', FIXTURE], { ROWTRAIL_FIXTURE_URL: db.url, ROWTRAIL_FIXTURE_VARIANT: variant });

describe('rowtrail status / migration:generate / prune', () => {
  it('reports missing objects, generates a migration, and reports outdated ones after a definition change', async () => {
    const missing = await cli(['status', '--check']);
    expect(missing.stderr).toBe('');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/^missing\s+protection\s+public\.ticket\s+ticket_flow$/m);

    const generated = await cli(['migration:generate', '--dir', dir, '--name', 'TicketHistory']);
    expect(generated.code).toBe(0);
    const path = /Migration (\S+) generated/.exec(generated.stdout)![1];
    const source = await readFile(path, 'utf8');
    expect(source).toMatch(/export class TicketHistory\d+ implements MigrationInterface/);
    expect(source).toContain('async down(queryRunner: QueryRunner)');
    expect(source).toContain('rowtrail_protect_ticket_flow');

    // apply it as a migration runner would, then status is clean
    const [Migration] = Object.values(await import(path)) as Array<new () => { up(q: { query(sql: string): Promise<unknown> }): Promise<void> }>;
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await new Migration().up({ query: (sql: string) => client.query(sql) });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const installed = await cli(['status', '--check']);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toContain('Everything is installed.');

    const outdated = await cli(['status', '--json'], '2');
    const entries = JSON.parse(outdated.stdout).entries as Array<{ kind: string; name: string; state: string }>;
    expect(entries.filter((e) => e.state !== 'installed')).toEqual([{ kind: 'protection', table: 'public.ticket', name: 'ticket_flow', state: 'outdated' }]);
    expect((await cli(['migration:generate', '--dir', dir])).stdout).toMatch(/No changes/);
  });

  it('writes a --js migration as Node will load it from its directory: CommonJS, or an ES module under "type": "module"', async () => {
    for (const type of ['commonjs', 'module', undefined]) {
      const scope = join(dir, `scope-${type ?? 'none'}`);
      await mkdir(join(scope, 'migrations'), { recursive: true });
      if (type) await writeFile(join(scope, 'package.json'), JSON.stringify({ name: 'app', type }));
      const generated = await cli(['migration:generate', '--dir', join(scope, 'migrations'), '--js'], '2');
      expect(generated.code, generated.stderr).toBe(0);
      const path = /Migration (\S+) generated/.exec(generated.stdout)![1];
      expect(path).toMatch(/\d+-Rowtrail\.js$/);
      const source = await readFile(path, 'utf8');
      const exported = type === 'module'
        ? (await import(path)) as Record<string, unknown>
        : createRequire(import.meta.url)(path) as Record<string, unknown>; // Node's own require(): a CommonJS module only
      expect(source.includes('module.exports'), String(type)).toBe(type !== 'module');
      expect(Object.keys(exported), String(type)).toEqual([expect.stringMatching(/^Rowtrail\d+$/)]);
      const Migration = Object.values(exported)[0] as new () => { up: unknown; down: unknown };
      expect(typeof new Migration().up).toBe('function');
    }
  });

  it('prunes orphaned triggers', async () => {
    await db.pool.query(`CREATE TRIGGER rowtrail_protect_gone BEFORE DELETE ON ticket FOR EACH ROW EXECUTE FUNCTION rowtrail.protect('gone', 'protect')`);
    expect((await cli(['status'])).stdout).toMatch(/^orphaned\s+trigger\s+public\.ticket\s+rowtrail_protect_gone$/m);
    const pruned = await cli(['prune']);
    expect(pruned.stdout).toContain('Pruned 1 object(s).');
    expect((await cli(['status', '--check'])).code).toBe(0);
  });
});

describe('rowtrail status without --data-source', () => {
  it('reports from the database alone (DATABASE_URL): core migrations, registered tables, protections in the catalog', async () => {
    const other = await createTestDatabase('cli_status_database_only');
    try {
      const env = { DATABASE_URL: other.url };
      const empty = await runCli(['status', '--check'], env);
      expect([empty.code, empty.stderr]).toEqual([1, '']);
      expect(empty.stdout).toMatch(/^missing\s+core-migration\s+-\s+\S+/m);
      expect(empty.stdout).toMatch(/\nNot up to date: run rowtrail install\.\n$/);

      await createFixtureTables(other.pool);
      await other.pool.query(`CREATE TRIGGER rowtrail_protect_no_delete BEFORE DELETE ON note FOR EACH ROW EXECUTE FUNCTION rowtrail.protect('no_delete', 'protect')`);
      const installed = await runCli(['--database-url', other.url, 'status', '--check'], { DATABASE_URL: undefined });
      expect([installed.code, installed.stderr]).toEqual([0, '']);
      for (const table of ['account', 'note', 'ledger']) {
        expect(installed.stdout).toMatch(new RegExp(`^installed\\s+history-table\\s+public\\.${table}\\s+rowtrail\\.${table}_history$`, 'm'));
        expect(installed.stdout).toMatch(new RegExp(`^installed\\s+capture\\s+public\\.${table}\\s+capture\\s`, 'm'));
        expect(installed.stdout).toMatch(new RegExp(`^installed\\s+append-only\\s+rowtrail\\.${table}_history\\s+append_only$`, 'm'));
      }
      expect(installed.stdout).toMatch(/^installed\s+protection\s+public\.note\s+no_delete\s/m);
      expect(installed.stdout).not.toMatch(/^(missing|outdated|orphaned)/m);
      expect(installed.stdout).toContain('Everything is installed.');

      await other.pool.query(`DROP TRIGGER ${Object.values(CAPTURE_TRIGGER_NAMES)[0]} ON account`);
      await other.pool.query(`ALTER TABLE note ADD COLUMN pinned boolean`);
      const advised = await runCli(['status'], env);
      expect(advised.stdout).toMatch(/\nNot up to date: run rowtrail install --data-source <module> \(installTracked\(\) in code; without --data-source, install brings only the core up to date\), prune --data-source <module>, or generate a migration \(rowtrail migration:generate --data-source <module>\)\.\n$/);
      const broken = await runCli(['status', '--check', '--json'], env);
      expect(broken.code).toBe(1);
      const entries = JSON.parse(broken.stdout).entries as Array<{ kind: string; table: string; state: string; drift?: { added: string[] } }>;
      expect(entries.find((e) => e.kind === 'history-table' && e.table === 'public.note')?.drift?.added).toEqual(['pinned']);
      expect(entries.filter((e) => e.state !== 'installed').map((e) => [e.kind, e.table, e.state])).toEqual([
        ['capture', 'public.account', 'outdated'],
        ['history-table', 'public.note', 'outdated'],
      ]);
    } finally {
      await other.drop();
    }
  });

  it('says what prune does when only history tables no tracked table writes to are left', async () => {
    const other = await createTestDatabase('cli_status_leftover');
    try {
      const env = { DATABASE_URL: other.url };
      await runCli(['install'], env);
      await other.pool.query(`CREATE TABLE rowtrail.gone_history (id int, rowtrail_event_id bigint, rowtrail_operation text, rowtrail_record_key jsonb)`);
      const leftover = await runCli(['status'], env);
      expect(leftover.stdout).toMatch(/^orphaned\s+history-table\s+-\s+rowtrail\.gone_history/m);
      expect(leftover.stdout).toMatch(/Not up to date: only history tables no tracked table writes to remain; rowtrail untrack <table> --drop-history drops the history of a table untracked with untrack, prune --data-source <module> --drop-history drops every one \(with their history\)\.\n$/);
    } finally {
      await other.drop();
    }
  });
});
