import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/commands/run-cli.test-support.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { catalogTableSpec } from '../install/catalog-table-spec.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { databaseStatus } from './database-status.js';
import { prune } from './prune.js';
import { status, type StatusEntry } from './status.js';
import { planMigration } from './migration-plan.js';
import { untrack } from './untrack.js';

// Tables tracked by an application's declarations and by `rowtrail install --table` side by side: the
// application's status and prune leave the latter alone, and untrack stops tracking one.
let db: TestDatabase;
const appSpec: TrackedTableSpec = {
  schema: 'public', table: 'app_item', primaryKey: ['id'], label: 'AppItem', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'name', type: 'text' }],
};
const trackTable = async (...args: string[]) => {
  const result = await runCli(['install', ...args], { DATABASE_URL: db.url });
  expect(result.code, result.stderr).toBe(0);
};
const notInstalled = (entries: StatusEntry[]) => entries.filter((e) => e.state !== 'installed');
const declaredBy = async (table: string) =>
  (await db.pool.query<{ declared_by: string | null }>(`SELECT declared_by FROM rowtrail.tracked_table WHERE table_name = $1`, [table])).rows[0]?.declared_by;
const events = async (table: string) =>
  (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM rowtrail.event WHERE table_name = $1`, [table])).rows[0].n;

beforeAll(async () => {
  db = await createTestDatabase('table_declarations');
  await db.pool.query(`CREATE TABLE app_item (id int PRIMARY KEY, name text)`);
  await db.pool.query(`CREATE TABLE cli_item (id int PRIMARY KEY, note text, secret text)`);
  await install(db.pool, [appSpec]);
  await trackTable('--table', 'cli_item', '--exclude', 'cli_item.secret');
});
afterAll(async () => {
  await db.drop();
});

describe('tables declared by rowtrail install --table', () => {
  it('are recorded as declared by the catalog, the application\'s tables as declared by the application', async () => {
    expect(await declaredBy('public.app_item')).toBe('application');
    expect(await declaredBy('public.cli_item')).toBe('catalog');
  });

  it('are checked, not orphaned, by the status of an application that does not declare them', async () => {
    const result = await status(db.pool, [appSpec]);
    expect(notInstalled(result.entries)).toEqual([]);
    expect(result.upToDate).toBe(true);
    const cli = result.entries.filter((e) => e.table === 'public.cli_item' || e.table === 'rowtrail.cli_item_history');
    expect(cli.map((e) => [e.kind, e.state, e.declaredBy])).toEqual([
      ['history-table', 'installed', 'catalog'], ['capture', 'installed', 'catalog'], ['append-only', 'installed', 'catalog'],
    ]);
  });

  it('keep their capture through the application\'s prune, also one that declares nothing', async () => {
    expect(await prune(db.pool, [appSpec], { dropHistory: true })).toEqual([]);
    expect(await prune(db.pool, [], { allowEmpty: true })).not.toContainEqual(expect.objectContaining({ table: 'public.cli_item' }));
    await install(db.pool, [appSpec]); // the empty prune removed app_item's capture
    await db.pool.query(`INSERT INTO cli_item VALUES (1, 'kept', 's3cret')`);
    expect(await events('public.cli_item')).toBe(1);
    const { rows } = await db.pool.query(`SELECT changes FROM rowtrail.event WHERE table_name = 'public.cli_item'`);
    expect(rows[0].changes).toEqual({ id: 1, note: 'kept' }); // still without the excluded column
  });

  it('are compared in full without the application too, and report a column added since as outdated until installed again', async () => {
    expect(notInstalled((await databaseStatus(db.pool)).entries)).toEqual([]);
    await db.pool.query(`ALTER TABLE cli_item ADD COLUMN rank int`);
    const changed = notInstalled((await databaseStatus(db.pool)).entries);
    expect(changed.map((e) => [e.kind, e.table, e.state, e.drift?.added])).toEqual([
      ['history-table', 'public.cli_item', 'outdated', ['rank']], ['capture', 'public.cli_item', 'outdated', undefined],
    ]);
    expect(notInstalled((await status(db.pool, [appSpec])).entries).map((e) => e.kind)).toEqual(['history-table', 'capture']);
    await trackTable('--table', 'cli_item', '--exclude', 'cli_item.secret');
    expect(notInstalled((await databaseStatus(db.pool)).entries)).toEqual([]);
    expect((await status(db.pool, [appSpec])).upToDate).toBe(true);
  });

  it('become the application\'s when its declarations take them over, and orphaned once it no longer declares them', async () => {
    const taken: TrackedTableSpec = {
      schema: 'public', table: 'cli_item', primaryKey: ['id'], label: 'CliItem', exclude: ['secret'], ignoreChanges: [],
      columns: [{ name: 'id', type: 'integer' }, { name: 'note', type: 'text' }, { name: 'secret', type: 'text' }, { name: 'rank', type: 'integer' }],
    };
    await install(db.pool, [appSpec, taken]);
    expect(await declaredBy('public.cli_item')).toBe('application');
    const orphaned = notInstalled((await status(db.pool, [appSpec])).entries);
    expect(orphaned.map((e) => [e.kind, e.state])).toEqual(expect.arrayContaining([['trigger', 'orphaned'], ['history-table', 'orphaned']]));
    await trackTable('--table', 'cli_item', '--exclude', 'cli_item.secret'); // and back
    expect(await declaredBy('public.cli_item')).toBe('catalog');
    expect((await status(db.pool, [appSpec])).upToDate).toBe(true);
  });

  it('are taken over by a generated migration of entities that declare the same capture, and given back by its down', async () => {
    const same = (await catalogTableSpec(db.pool, 'cli_item', { exclude: ['secret'] }))!;
    const plan = await planMigration(db.pool, [appSpec, same]);
    expect(plan.changes).toEqual(['declare public.cli_item as the application\'s (was install --table)']);
    for (const sql of plan.up) await db.pool.query(sql);
    expect(await declaredBy('public.cli_item')).toBe('application');
    expect((await status(db.pool, [appSpec, same])).entries.filter((e) => e.declaredBy)).toEqual([]);
    for (const sql of plan.down) await db.pool.query(sql);
    expect(await declaredBy('public.cli_item')).toBe('catalog');
  });

  it('stay declared, and keep their capture, when the table changes so that it can no longer be tracked as it is', async () => {
    const cliEntries = async () => (await status(db.pool, [appSpec])).entries.filter((e) => e.table === 'public.cli_item' || e.table === 'public.cli_item_renamed');
    // an excluded column dropped, then the primary key: status, prune and migrations go on
    await db.pool.query(`ALTER TABLE cli_item DROP COLUMN secret`); // never recorded: nothing to change
    expect((await cliEntries()).map((e) => [e.kind, e.state])).toEqual([['history-table', 'installed'], ['capture', 'installed']]);
    // without its primary key it can no longer be tracked as it is: checked as registered (its capture goes on recording)
    await db.pool.query(`ALTER TABLE cli_item DROP CONSTRAINT cli_item_pkey`);
    expect((await cliEntries()).map((e) => [e.kind, e.state])).toEqual([['history-table', 'installed'], ['capture', 'installed']]);
    expect(notInstalled((await databaseStatus(db.pool)).entries)).toEqual([]);
    expect(await prune(db.pool, [appSpec], { dropHistory: true })).toEqual([]);
    expect((await planMigration(db.pool, [appSpec])).changes).toEqual([]);
    await db.pool.query(`ALTER TABLE cli_item ADD PRIMARY KEY (id)`);
    // renamed: its capture goes on recording under the old name (status names the new one); prune leaves it, untrack finds it
    await db.pool.query(`ALTER TABLE cli_item RENAME TO cli_item_renamed`);
    expect((await cliEntries()).map((e) => [e.kind, e.table, e.state, e.renamedTo])).toEqual([
      ['history-table', 'public.cli_item', 'installed', undefined], ['capture', 'public.cli_item', 'outdated', 'public.cli_item_renamed'],
    ]);
    expect(await prune(db.pool, [appSpec], { dropHistory: true })).toEqual([]);
    const before = await events('public.cli_item');
    await db.pool.query(`UPDATE cli_item_renamed SET note = 'after the rename'`);
    expect(await events('public.cli_item')).toBe(before + 1);
    await untrack(db.pool, ['cli_item']);
    expect((await db.pool.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'cli_item_renamed'::regclass`)).rows).toEqual([]);
    await db.pool.query(`ALTER TABLE cli_item_renamed RENAME TO cli_item`);
    await db.pool.query(`ALTER TABLE cli_item ADD COLUMN secret text`);
    await trackTable('--table', 'cli_item', '--exclude', 'cli_item.secret');
    expect((await status(db.pool, [appSpec])).upToDate).toBe(true);
  });
});

describe('untrack', () => {
  it('refuses a table the registry does not know, naming it, and changes nothing', async () => {
    await expect(untrack(db.pool, ['cli_item', 'public.nothing'])).rejects.toThrow(/untrack: public\.nothing is not tracked by the Rowtrail installation in schema "rowtrail".*nothing was changed/);
    expect(await declaredBy('public.cli_item')).toBe('catalog');
    expect((await status(db.pool, [appSpec])).upToDate).toBe(true);
  });

  it('stops recording a table and keeps its history readable, orphaned until it is tracked again', async () => {
    const before = await events('public.cli_item');
    expect(await untrack(db.pool, ['cli_item'])).toEqual({ untracked: ['public.cli_item'], alreadyUntracked: [], goneTables: [], droppedHistory: [] });
    await db.pool.query(`UPDATE cli_item SET note = 'unrecorded' WHERE id = 1`);
    expect(await events('public.cli_item')).toBe(before);
    expect(before).toBeGreaterThan(0);
    expect(await declaredBy('public.cli_item')).toBeNull();
    const { rows: triggers } = await db.pool.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'cli_item'::regclass`);
    expect(triggers).toEqual([]);
    const { rows: functions } = await db.pool.query(`SELECT proname FROM pg_proc WHERE pronamespace = 'rowtrail'::regnamespace AND proname LIKE 'cli\\_item\\_history\\_%'`);
    expect(functions).toEqual([]);
    for (const entries of [(await databaseStatus(db.pool)).entries, (await status(db.pool, [appSpec])).entries]) {
      expect(notInstalled(entries).map((e) => [e.kind, e.table, e.state])).toEqual([['history-table', 'public.cli_item', 'orphaned']]);
    }
    await trackTable('--table', 'cli_item', '--exclude', 'cli_item.secret');
    await db.pool.query(`UPDATE cli_item SET note = 'recorded' WHERE id = 1`);
    expect(await events('public.cli_item')).toBe(before + 1);
    expect((await status(db.pool, [appSpec])).upToDate).toBe(true);
  });

  it('drops the history with --drop-history, in the maintenance log', async () => {
    expect(await untrack(db.pool, ['public.cli_item'], { dropHistory: true })).toEqual({ untracked: ['public.cli_item'], alreadyUntracked: [], goneTables: [], droppedHistory: ['rowtrail.cli_item_history'] });
    expect((await db.pool.query(`SELECT to_regclass('rowtrail.cli_item_history') AS t`)).rows[0].t).toBeNull();
    expect(await declaredBy('public.cli_item')).toBeUndefined();
    const { rows } = await db.pool.query(`SELECT reason FROM rowtrail.maintenance_log ORDER BY id DESC LIMIT 1`);
    expect(rows[0].reason).toBe('untrack: drop history table rowtrail.cli_item_history of public.cli_item');
    expect((await status(db.pool, [appSpec])).upToDate).toBe(true);
  });
});
