import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_TRIGGER_NAMES } from '../../ddl/capture-ddl.js';
import { install } from '../../install/installer.js';
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
      expect(leftover.stdout).toMatch(/Not up to date: only history tables no tracked table writes to remain; rowtrail untrack <table> --drop-history --yes drops the history of a table untracked with untrack, prune --data-source <module> --drop-history --yes drops every one \(with their history\)\.\n$/);
    } finally {
      await other.drop();
    }
  });
});

/**
 * A DataSource module (plain JavaScript: the decorators applied as functions) with a @Tracked entity of table customer:
 * CUSTOMER_VARIANT "as-table" maps the table's columns (id, name, qty numeric), "nickname" adds nickname, "qty-integer"
 * declares qty integer.
 */
async function entityModule(url: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const source = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const file = join(dir, `customer-${Math.random().toString(36).slice(2)}.mjs`);
  await writeFile(file, `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
require(${JSON.stringify(require.resolve('reflect-metadata'))});
const { Column, DataSource, Entity, PrimaryColumn } = require(${JSON.stringify(require.resolve('typeorm'))});
const { Tracked } = await import(${source('../../typeorm/tracked-decorator.ts')});
const { withRowtrail } = await import(${source('../../typeorm/with-rowtrail.ts')});
const variant = process.env.CUSTOMER_VARIANT;
class Customer {}
PrimaryColumn({ type: 'integer' })(Customer.prototype, 'id');
Column({ type: 'text', nullable: true })(Customer.prototype, 'name');
Column({ type: variant === 'qty-integer' ? 'integer' : 'numeric', nullable: true })(Customer.prototype, 'qty');
if (variant === 'nickname') Column({ type: 'text', nullable: true })(Customer.prototype, 'nickname');
Entity({ name: 'customer' })(Customer);
Tracked()(Customer);
export const dataSource = new DataSource(withRowtrail({ type: 'postgres', url: ${JSON.stringify(url)}, entities: [Customer], poolSize: 2 }));
`);
  return file;
}

describe('rowtrail status advice that works', () => {
  const withDatabase = async (label: string, run: (other: TestDatabase, env: { DATABASE_URL: string }) => Promise<void>) => {
    const other = await createTestDatabase(label);
    try {
      await run(other, { DATABASE_URL: other.url });
    } finally {
      await other.drop();
    }
  };

  it('says a tracked table that was dropped no longer exists and suggests untrack, rather than an install that fails', () => withDatabase('cli_status_dropped', async (other, env) => {
    await other.pool.query(`CREATE TABLE t2 (id int PRIMARY KEY, name text); CREATE TABLE app_gone (id int PRIMARY KEY)`);
    expect((await runCli(['install', '--table', 'public.t2'], env)).code).toBe(0);
    await other.pool.query(`DROP TABLE t2`);
    const dropped = await runCli(['status', '--check'], env);
    expect([dropped.code, dropped.stderr]).toEqual([1, '']);
    expect(dropped.stdout).toMatch(/^missing\s+capture\s+public\.t2\s+capture\s+\(install --table\)\s+the table no longer exists \(dropped since its install\): untrack stops tracking it and keeps its history, untrack --drop-history --yes drops that too$/m);
    expect(dropped.stdout).toMatch(/\nNot up to date: public\.t2 no longer exists: run rowtrail untrack public\.t2 \(keeps its history\) or rowtrail untrack public\.t2 --drop-history --yes\.\n$/);
    expect(dropped.stdout).not.toContain('install --table public.t2');
    // the advice works (install --table would not: the table is not in the database)
    expect((await runCli(['install', '--table', 'public.t2'], env)).code).toBe(1);
    const untracked = await runCli(['untrack', 'public.t2'], env);
    expect([untracked.code, untracked.stderr]).toEqual([0, '']);
    expect(untracked.stdout).toBe('public.t2 no longer exists (dropped since its install): stopped tracking it\nHistory kept: readable as before; rowtrail untrack public.t2 --drop-history --yes drops it with its history.\n');
    expect((await runCli(['status'], env)).stdout).toMatch(/\nNot up to date: only history tables no tracked table writes to remain; /);

    // a table an application declared: it stops declaring it as well
    await install(other.pool, [{ schema: 'public', table: 'app_gone', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [], columns: [{ name: 'id', type: 'integer' }] }]);
    await other.pool.query(`DROP TABLE app_gone`);
    const app = await runCli(['status'], env);
    expect(app.stdout).toMatch(/^missing\s+capture\s+public\.app_gone\s+capture\s+the table no longer exists /m);
    expect(app.stdout).toMatch(/\nNot up to date: public\.app_gone no longer exists: stop declaring it \(its @Tracked entity; an install from the entities refuses a table that does not exist\), then run rowtrail untrack public\.app_gone \(keeps its history\) or rowtrail untrack public\.app_gone --drop-history --yes; history tables no tracked table writes to are kept: rowtrail untrack <table> --drop-history --yes drops the history of a table untracked with untrack, prune --data-source <module> --drop-history --yes drops every one \(with their history\)\.\n$/);
    expect((await runCli(['untrack', 'public.app_gone', '--drop-history', '--yes'], env)).code).toBe(0);
  }));

  it('names the tracked table, not its history table, when the append-only guard of its history is disabled', () => withDatabase('cli_status_append_only', async (other, env) => {
    await other.pool.query(`CREATE TABLE customer (id int PRIMARY KEY, name text)`);
    expect((await runCli(['install', '--table', 'public.customer'], env)).code).toBe(0);
    await other.pool.query(`ALTER TABLE rowtrail.customer_history DISABLE TRIGGER rowtrail_append_only`);
    const disabled = await runCli(['status'], env);
    expect(disabled.stdout).toMatch(/^outdated\s+append-only\s+rowtrail\.customer_history\s+append_only\s+\(install --table\)\s+trigger rowtrail_append_only on rowtrail\.customer_history is disabled/m);
    expect(disabled.stdout).toMatch(/\nNot up to date: run rowtrail install --table public\.customer for the tables tracked with install --table\.\n$/);
    const installed = await runCli(['install', '--table', 'public.customer'], env);
    expect([installed.code, installed.stderr]).toEqual([0, '']);
    expect((await runCli(['status', '--check'], env)).code).toBe(0);
  }));

  it('says why a capture is outdated: its primary key or its columns changed since its install', () => withDatabase('cli_status_reason', async (other, env) => {
    await other.pool.query(`CREATE TABLE customer (id int PRIMARY KEY, code text NOT NULL, name text)`);
    expect((await runCli(['install', '--table', 'public.customer'], env)).code).toBe(0);
    await other.pool.query(`ALTER TABLE customer DROP CONSTRAINT customer_pkey, ADD PRIMARY KEY (code)`);
    const rekeyed = await runCli(['status'], env);
    expect(rekeyed.stdout).toMatch(/^outdated\s+capture\s+public\.customer\s+capture\s+\(install --table\)\s+primary key is now \(code\), the history records \(id\): installing it again records its changes under the new key, while each record's earlier versions stay under the old one$/m);
    await other.pool.query(`ALTER TABLE customer ADD COLUMN note text, DROP COLUMN name`);
    const changed = JSON.parse((await runCli(['status', '--json'], env)).stdout) as { entries: Array<{ kind: string; table: string; detail?: string }> };
    expect(changed.entries.find((e) => e.kind === 'capture' && e.table === 'public.customer')?.detail).toBe(
      'primary key is now (code), the history records (id): installing it again records its changes under the new key, while each record\'s earlier versions stay under the old one; '
      + 'columns changed since its install: +note, -name');
    expect((await runCli(['install', '--table', 'public.customer'], env)).code).toBe(0);
    expect((await runCli(['status', '--check'], env)).code).toBe(0);
  }));

  it('says to run the migrations, not install, when an entity maps a column its table does not have (yet)', () => withDatabase('cli_status_mismatch', async (other, env) => {
    await other.pool.query(`CREATE TABLE customer (id int PRIMARY KEY, name text, qty numeric(10,2))`);
    const module = await entityModule(other.url);
    const withEntity = (args: string[], variant: string) => runCli([...args, '--data-source', module], { ...env, CUSTOMER_VARIANT: variant });
    expect((await withEntity(['install'], 'as-table')).code).toBe(0);

    // the entity gains nickname before the migration that adds the column has run
    const mismatched = await withEntity(['status', '--check'], 'nickname');
    expect([mismatched.code, mismatched.stderr]).toEqual([1, '']);
    expect(mismatched.stdout).toMatch(/^outdated\s+history-table\s+public\.customer\s+rowtrail\.customer_history\s+the table does not match the declared columns \(column nickname is not in the table\), and install refuses it until they match: run the migrations that bring the table up to date first, or make the declaration match the table$/m);
    expect(mismatched.stdout).not.toContain('drift: +nickname');
    expect(mismatched.stdout).toMatch(/\nNot up to date: run the migrations that bring public\.customer up to date first \(its columns are not the declared ones, and install refuses it until they are\), or make the declaration match the table; then run rowtrail install --data-source <module> \(installTracked\(\) in code; without --data-source, install brings only the core up to date\), prune --data-source <module>, or generate a migration \(rowtrail migration:generate --data-source <module>\)\.\n$/);
    // install says the same
    const refused = await withEntity(['install'], 'nickname');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('column nickname is not in the table');
    expect(refused.stderr).toContain('run the migrations that bring the table up to date first');

    // qty declared in a type history could not hold the table's values in
    const retyped = await withEntity(['status'], 'qty-integer');
    expect(retyped.stdout).toMatch(/^outdated\s+history-table\s+public\.customer\s+rowtrail\.customer_history\s+the table does not match the declared columns \(qty is numeric\(10,2\) in the table but declared integer\), and install refuses it until they match: /m);
    expect(retyped.stdout).toMatch(/\nNot up to date: run the migrations that bring public\.customer up to date first /);

    // the migration has run: the usual drift, and install takes it in
    await other.pool.query(`ALTER TABLE customer ADD COLUMN nickname text`);
    const drifted = await withEntity(['status'], 'nickname');
    expect(drifted.stdout).toMatch(/^outdated\s+history-table\s+public\.customer\s+rowtrail\.customer_history\s+drift: \+nickname$/m);
    expect(drifted.stdout).toMatch(/\nNot up to date: run rowtrail install --data-source <module> /);
    expect((await withEntity(['install'], 'nickname')).code).toBe(0);
    expect((await withEntity(['status', '--check'], 'nickname')).code).toBe(0);
  }));

  it('advises each table by how it was declared: install --table beside kept history, and for a table registered before core version 9', () => withDatabase('cli_status_declared', async (other, env) => {
    await other.pool.query(`CREATE TABLE account (id int PRIMARY KEY, email text); CREATE TABLE old_log (id int PRIMARY KEY)`);
    expect((await runCli(['install', '--table', 'public.account', '--table', 'public.old_log'], env)).code).toBe(0);
    expect((await runCli(['untrack', 'public.old_log'], env)).code).toBe(0); // its history kept: an orphaned history table
    await other.pool.query(`ALTER TABLE account ADD COLUMN nickname text`);
    const beside = await runCli(['status'], env);
    expect(beside.stdout).toMatch(/\nNot up to date: run rowtrail install --table public\.account for the tables tracked with install --table; history tables no tracked table writes to are kept: rowtrail untrack <table> --drop-history --yes drops the history of a table untracked with untrack, prune --data-source <module> --drop-history --yes drops every one \(with their history\)\.\n$/);
    expect(beside.stdout).not.toContain('install --data-source');

    // as an upgrade from core version 8 leaves it: the row counts as the application's, written before version 9 recorded who declared it
    await other.pool.query(`UPDATE rowtrail.tracked_table SET declared_by = 'application', installed_at = (SELECT installed_at - interval '1 day' FROM rowtrail.migrations WHERE id = 9) WHERE table_name = 'public.account'`);
    expect((await runCli(['untrack', 'public.old_log', '--drop-history', '--yes'], env)).code).toBe(0);
    const upgraded = await runCli(['status'], env);
    expect(upgraded.stdout).toMatch(/^outdated\s+history-table\s+public\.account\s+rowtrail\.account_history\s+drift: \+nickname$/m);
    expect(upgraded.stdout).toMatch(/\nNot up to date: run rowtrail install --table public\.account if it was tracked with install --table \(registered before core version 9, which did not record how a table was tracked; until then prune --data-source would remove its capture\); otherwise run rowtrail install --data-source <module> \(installTracked\(\) in code; without --data-source, install brings only the core up to date\), prune --data-source <module>, or generate a migration \(rowtrail migration:generate --data-source <module>\)\.\n$/);
    const installed = await runCli(['install', '--table', 'public.account'], env);
    expect([installed.code, installed.stderr]).toEqual([0, '']);
    const after = await runCli(['status', '--check'], env);
    expect([after.code, after.stdout]).toEqual([0, expect.stringContaining('Everything is installed.')]);
    expect((await other.pool.query(`SELECT declared_by FROM rowtrail.tracked_table`)).rows).toEqual([{ declared_by: 'catalog' }]);
  }));
});
