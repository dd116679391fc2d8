import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { runCli } from './run-cli.test-support.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('cli_install');
  await db.pool.query(`CREATE SCHEMA shop; CREATE TABLE shop.item (sku text, region int, title text, token text, seen_at timestamptz, PRIMARY KEY (region, sku))`);
});
afterAll(() => db.drop());

describe('rowtrail install / uninstall', () => {
  it('installs the schema and tracks a table read from the catalog', async () => {
    const result = await runCli(['install', '--table', 'shop.item', '--exclude', 'shop.item.token', '--ignore', 'shop.item.seen_at'], { DATABASE_URL: db.url });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Installed Rowtrail schema "rowtrail"/);
    expect(result.stdout).toContain('Tracking shop.item');
    const { rows } = await db.pool.query(`SELECT primary_key, excluded, ignored, columns FROM rowtrail.tracked_table`);
    expect(rows).toEqual([{
      primary_key: ['region', 'sku'], excluded: ['token'], ignored: ['seen_at'],
      columns: [{ name: 'sku', type: 'text' }, { name: 'region', type: 'integer' }, { name: 'title', type: 'text' }, { name: 'seen_at', type: 'timestamp with time zone' }],
    }]);
    await db.pool.query(`INSERT INTO shop.item VALUES ('a', 1, 'A', 'secret', now())`);
    await db.pool.query(`UPDATE shop.item SET seen_at = now()`); // ignored column alone: no event
    const diff = await db.pool.query(`SELECT operation, record_key, changes FROM rowtrail.event`);
    expect(diff.rows).toEqual([{ operation: 'INSERT', record_key: { region: 1, sku: 'a' }, changes: expect.not.objectContaining({ token: expect.anything() }) }]);
    const again = await runCli(['install', '--table', 'shop.item', '--exclude', 'shop.item.token', '--ignore', 'shop.item.seen_at'], { DATABASE_URL: db.url });
    expect(again.stdout).toMatch(/is up to date/);
    expect(again.stdout).toContain('Already tracking shop.item');
    expect(again.stdout).not.toMatch(/Restored/);

    await db.pool.query(`CREATE OR REPLACE FUNCTION rowtrail.protect() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`);
    const restoring = await runCli(['install'], { DATABASE_URL: db.url });
    expect(restoring.stdout).toMatch(/is up to date \(version \d+\)\nRestored core function "rowtrail"\."protect"\(\), which had been replaced by hand\n/);
  });

  it('refuses an --exclude that names no --table, and installs nothing', async () => {
    await db.pool.query(`CREATE TABLE account (id int PRIMARY KEY, password_hash text)`);
    const result = await runCli(['install', '--table', 'public.account', '--exclude', 'acount.password_hash'], { DATABASE_URL: db.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--exclude acount\.password_hash: names no table given with --table \(given: public\.account\)/);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.tracked_table WHERE table_name = 'public.account'`)).rows[0].n).toBe(0);
    // the spelling of --table does not matter, and a table named twice is one table
    const tracked = await runCli(['install', '--table', 'account', '--table', 'public.account', '--exclude', 'account.password_hash'], { DATABASE_URL: db.url });
    expect(tracked.stderr).toBe('');
    expect(tracked.stdout.match(/Tracking public\.account\n/g)).toHaveLength(1);
    await db.pool.query(`INSERT INTO account VALUES (1, 'SECRET')`);
    const { rows } = await db.pool.query(`SELECT changes FROM rowtrail.event WHERE table_name = 'public.account'`);
    expect(rows).toEqual([{ changes: { id: 1 } }]);
  });

  it('records enum columns as text, so the enum type can be replaced later', async () => {
    await db.pool.query(`CREATE TYPE mood AS ENUM ('calm', 'busy'); CREATE TABLE desk (id int PRIMARY KEY, mood mood, moods mood[])`);
    const result = await runCli(['install', '--table', 'desk'], { DATABASE_URL: db.url });
    expect(result.stderr).toBe('');
    await db.pool.query(`INSERT INTO desk VALUES (1, 'calm', '{calm,busy}')`);
    // the migration TypeORM generates when an enum gains a value
    await db.pool.query(`ALTER TYPE mood RENAME TO mood_old; CREATE TYPE mood AS ENUM ('calm', 'busy', 'away');
      ALTER TABLE desk ALTER COLUMN mood TYPE mood USING mood::text::mood, ALTER COLUMN moods TYPE mood[] USING moods::text::mood[]; DROP TYPE mood_old`);
    await db.pool.query(`UPDATE desk SET mood = 'away'`);
    const { rows } = await db.pool.query(`SELECT changes FROM rowtrail.event WHERE table_name = 'public.desk' ORDER BY event_id`);
    expect(rows).toEqual([{ changes: { id: 1, mood: 'calm', moods: ['calm', 'busy'] } }, { changes: { mood: ['calm', 'away'] } }]);
  });

  it('retypes an enum history column of an earlier install to text in place', async () => {
    // as install --table recorded enums before: the history column has the enum's type
    await db.pool.query(`CREATE TYPE tone AS ENUM ('low', 'high'); CREATE TABLE lamp (id int PRIMARY KEY, tone tone, tones tone[])`);
    await install(db.pool, [{ schema: 'public', table: 'lamp', primaryKey: ['id'], label: 'lamp', exclude: [], ignoreChanges: [],
      columns: [{ name: 'id', type: 'integer' }, { name: 'tone', type: 'tone' }, { name: 'tones', type: 'tone[]' }] }]);
    await db.pool.query(`INSERT INTO lamp VALUES (1, 'low', '{low}')`);
    const result = await runCli(['install', '--table', 'lamp'], { DATABASE_URL: db.url });
    expect(result.stderr).toBe('');
    const columns = await db.pool.query(`SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = 'rowtrail.lamp_history'::regclass AND attname LIKE 'tone%' ORDER BY attname`);
    expect(columns.rows).toEqual([{ attname: 'tone', type: 'text' }, { attname: 'tones', type: 'text[]' }]);
    await db.pool.query(`ALTER TYPE tone RENAME TO tone_old; CREATE TYPE tone AS ENUM ('low', 'high', 'off');
      ALTER TABLE lamp ALTER COLUMN tone TYPE tone USING tone::text::tone, ALTER COLUMN tones TYPE tone[] USING tones::text::tone[]; DROP TYPE tone_old`);
    await db.pool.query(`UPDATE lamp SET tone = 'off'`);
    const history = await db.pool.query(`SELECT tone, tones FROM rowtrail.lamp_history ORDER BY rowtrail_event_id`);
    expect(history.rows).toEqual([{ tone: 'low', tones: ['low'] }, { tone: 'off', tones: ['low'] }]);
  });

  it('refuses an unknown table', async () => {
    const result = await runCli(['install', '--table', 'shop.nothing'], { DATABASE_URL: db.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--table: unknown table shop\.nothing/);
  });

  it('installs the @Tracked entities of a DataSource module', async () => {
    const fixture = fileURLToPath(new URL('../../typeorm/protection-cli-fixture.ts', import.meta.url));
    await db.pool.query(`CREATE TABLE ticket (id int PRIMARY KEY, state text NOT NULL DEFAULT 'open')`);
    const result = await runCli(['install', '--data-source', fixture], { ROWTRAIL_FIXTURE_URL: db.url });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Installed or updated capture for public.ticket');
    await db.pool.query(`INSERT INTO ticket VALUES (1, 'open')`);
    const diff = await db.pool.query(`SELECT table_name, operation FROM rowtrail.event WHERE table_name = 'public.ticket'`);
    expect(diff.rows).toEqual([{ table_name: 'public.ticket', operation: 'INSERT' }]);
    const mixed = await runCli(['install', '--data-source', fixture, '--table', 'shop.item'], { ROWTRAIL_FIXTURE_URL: db.url });
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/cannot be combined with --table/);
  });

  it('refuses --database-url beside --data-source, and names a DataSource module that fails to load', async () => {
    const fixture = fileURLToPath(new URL('../../typeorm/protection-cli-fixture.ts', import.meta.url));
    const both = await runCli(['--database-url', db.url, 'install', '--data-source', fixture], { ROWTRAIL_FIXTURE_URL: db.url });
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/install: --database-url cannot be combined with --data-source/);
    const broken = path.join(mkdtempSync(path.join(os.tmpdir(), 'rowtrail-cli-')), 'broken-data-source.mjs');
    writeFileSync(broken, 'throw new TypeError();\n');
    const failed = await runCli(['status', '--data-source', broken]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(`rowtrail: loading the DataSource module ${broken} failed: TypeError\n`);
  });

  it('status names the tables of install --table; untrack stops tracking one, refusing a name it does not know', async () => {
    const shown = await runCli(['status'], { DATABASE_URL: db.url });
    expect(shown.stdout).toMatch(/^installed\s+capture\s+shop\.item\s+capture  \(install --table\)$/m);
    const elsewhere = await runCli(['--schema', 'not_installed', 'untrack', 'shop.item'], { DATABASE_URL: db.url });
    expect([elsewhere.code, elsewhere.stderr]).toEqual([1, expect.stringMatching(/Rowtrail is not installed in this database \(no schema "not_installed"/)]);
    const unknown = await runCli(['untrack', 'shop.nothing'], { DATABASE_URL: db.url });
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringMatching(/untrack: shop\.nothing is not tracked .*nothing was changed/)]);
    const stopped = await runCli(['untrack', 'shop.item'], { DATABASE_URL: db.url });
    expect(stopped.stderr).toBe('');
    expect(stopped.stdout).toBe('Stopped tracking shop.item\nHistory kept: readable as before; rowtrail install --table shop.item --exclude shop.item.token --ignore shop.item.seen_at tracks it again, continuing its history without recording shop.item.token, as before; rowtrail untrack shop.item --drop-history --yes drops it with its history.\n');
    expect((await runCli(['status'], { DATABASE_URL: db.url })).stdout).toMatch(/^orphaned\s+history-table\s+shop\.item\s+rowtrail\.shop_item_history$/m);
    const repeated = await runCli(['untrack', 'shop.item'], { DATABASE_URL: db.url });
    expect([repeated.code, repeated.stderr]).toEqual([0, '']);
    expect(repeated.stdout).toBe('shop.item was already untracked: no capture trigger was recording its changes\nHistory kept: readable as before; rowtrail install --table shop.item --exclude shop.item.token --ignore shop.item.seen_at tracks it again, continuing its history without recording shop.item.token, as before; rowtrail untrack shop.item --drop-history --yes drops it with its history.\n');
    const again = await runCli(['install', '--table', 'shop.item', '--exclude', 'shop.item.token', '--ignore', 'shop.item.seen_at'], { DATABASE_URL: db.url });
    expect(again.stdout).toContain('Tracking shop.item');
  });

  it('keeps the exclusions and ignored columns of a table installed again without them (as status advises after a column change)', async () => {
    await db.pool.query(`ALTER TABLE shop.item ADD COLUMN note text`);
    const result = await runCli(['install', '--table', 'shop.item'], { DATABASE_URL: db.url });
    expect(result.stdout).toContain('Tracking shop.item\nStill excluding shop.item.token (excluded by an earlier install; --record shop.item.token records it)\n');
    const { rows: [row] } = await db.pool.query(`SELECT excluded, ignored FROM rowtrail.tracked_table WHERE table_name = 'shop.item'`);
    expect(row).toEqual({ excluded: ['token'], ignored: ['seen_at'] });
    await db.pool.query(`INSERT INTO shop.item VALUES ('b', 1, 'B', 'secret-b', now(), 'n')`);
    const { rows } = await db.pool.query(`SELECT changes FROM rowtrail.event WHERE table_name = 'shop.item' AND record_key = '{"region": 1, "sku": "b"}'`);
    expect(rows).toEqual([{ changes: expect.not.objectContaining({ token: expect.anything() }) }]);
    expect(rows[0].changes.note).toBe('n');
  });

  it('continues the history of a table renamed since, under its new name, keeping what it excluded', async () => {
    await db.pool.query(`ALTER TABLE shop.item RENAME TO stock`);
    const oldName = await runCli(['install', '--table', 'shop.item'], { DATABASE_URL: db.url });
    expect([oldName.code, oldName.stderr]).toEqual([1, 'rowtrail: --table: unknown table shop.item (no such table in the database); it was renamed to shop.stock, which runs its history capture: rowtrail install --table shop.stock continues its history there\n']);
    const pending = await runCli(['status'], { DATABASE_URL: db.url });
    expect(pending.stdout).toMatch(/^outdated\s+capture\s+shop\.item\s+capture\s+\(install --table\)\s+the table was renamed to shop\.stock /m);
    expect(pending.stdout).toMatch(/\nNot up to date: run rowtrail install --table shop\.stock for the tables tracked with install --table\.\n$/);
    const result = await runCli(['install', '--table', 'shop.stock'], { DATABASE_URL: db.url });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('The history of shop.item continues under its new name shop.stock\nTracking shop.stock\nStill excluding shop.stock.token');
    const { rows: [row] } = await db.pool.query(`SELECT excluded, ignored FROM rowtrail.tracked_table WHERE table_name = 'shop.stock'`);
    expect(row).toEqual({ excluded: ['token'], ignored: ['seen_at'] });
    await db.pool.query(`UPDATE shop.stock SET token = 'secret-c', title = 'C' WHERE sku = 'b'`);
    const { rows } = await db.pool.query(`SELECT operation, changes FROM rowtrail.event WHERE record_key = '{"region": 1, "sku": "b"}' ORDER BY event_id`);
    expect(rows.map((r) => [r.operation, Object.keys(r.changes).includes('token')])).toEqual([['INSERT', false], ['UPDATE', false]]);
    expect(rows[1].changes).toEqual({ title: ['B', 'C'] });
  });

  it('status says install --table brings a table it declared up to date (a plain install leaves it as it is)', async () => {
    await db.pool.query(`ALTER TABLE account ADD COLUMN nickname text`);
    const outdated = await runCli(['status', '--check'], { DATABASE_URL: db.url });
    expect(outdated.code).toBe(1);
    expect(outdated.stdout).toMatch(/^outdated\s+history-table\s+public\.account\s+rowtrail\.account_history\s+\(install --table\)\s+drift: \+nickname$/m);
    expect(outdated.stdout).toMatch(/\nNot up to date: run rowtrail install --table public\.account for the tables tracked with install --table\.\n$/);
    expect((await runCli(['install'], { DATABASE_URL: db.url })).code).toBe(0);
    expect((await runCli(['status', '--check'], { DATABASE_URL: db.url })).code).toBe(1);
    expect((await runCli(['install', '--table', 'public.account'], { DATABASE_URL: db.url })).code).toBe(0);
    const installed = await runCli(['status', '--check'], { DATABASE_URL: db.url });
    expect(installed.stdout).toContain('Everything is installed.');
    expect(installed.code).toBe(0);
  });

  it('uninstalls only with --yes', async () => {
    const refused = await runCli(['uninstall'], { DATABASE_URL: db.url });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/pass --yes/);
    // an application's type in the Rowtrail schema stays, with the schema
    await db.pool.query(`CREATE TYPE rowtrail.mood AS ENUM ('ok')`);
    const result = await runCli(['uninstall', '--yes'], { DATABASE_URL: db.url });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Removed Rowtrail's objects from schema "rowtrail" and capture triggers from .*shop\.stock.*; kept the schema with what else it holds: type rowtrail\.mood\n$/);
    expect((await db.pool.query(`SELECT to_regclass('rowtrail.tracked_table') AS t`)).rows[0].t).toBeNull();
    await db.pool.query(`DROP SCHEMA rowtrail CASCADE`);
    const again = await runCli(['uninstall', '--yes'], { DATABASE_URL: db.url });
    expect([again.code, again.stdout]).toEqual([0, 'Rowtrail is not installed in this database (no schema "rowtrail"): nothing to remove\n']);
  });
});
