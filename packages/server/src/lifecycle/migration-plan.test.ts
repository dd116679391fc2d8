// A generated migration's down leaves a database the restored definitions (and the application's own down) work with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from '../install/installer.js';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { runAsMigration } from '../testing/run-as-migration.js';
import { planMigration } from './migration-plan.js';
import { prune } from './prune.js';
import { status, UNTRACKED_HISTORY } from './status.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('migration_plan');
  await db.pool.query(`CREATE TABLE item (id int PRIMARY KEY, name text)`);
  await db.pool.query(`CREATE TABLE reading (id int PRIMARY KEY, value text)`);
  await install(db.pool); // core only: the Rowtrail schema exists before the migrations below
});
afterAll(() => db.drop());

const tracked = (table: string, columns: Record<string, string>): TrackedTableSpec => ({
  schema: 'public', table, primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: Object.entries(columns).map(([name, type]) => ({ name, type })),
});
const item = tracked('item', { id: 'integer', name: 'text' });
const reading = (type: string) => tracked('reading', { id: 'integer', value: type });
const guard: ProtectedTableSpec[] = [{ schema: 'public', table: 'item', primaryKey: ['id'], protections: [{ kind: 'protect', name: 'guard', operations: ['delete'] }] }];

const runAll = (statements: string[]) => runAsMigration(db.pool, statements);

const notInstalled = async (specs: TrackedTableSpec[]) => (await status(db.pool, specs)).entries.filter((e) => e.state !== 'installed');

describe('a generated migration on a database that has the Rowtrail schema', () => {
  it('lists its changes in the order up makes them, and down undoes them in reverse', async () => {
    const plan = await planMigration(db.pool, [item], { protections: guard });
    expect(plan.changes).toEqual(['history capture of public.item', 'protection append_only on rowtrail.item_history', 'protection guard on public.item']);
    const dropGuard = plan.down.indexOf('DROP TRIGGER IF EXISTS "rowtrail_protect_guard" ON "public"."item"');
    const dropCapture = plan.down.indexOf('DROP TRIGGER IF EXISTS "rowtrail_capture_insert" ON "public"."item"');
    expect(dropGuard).toBeGreaterThan(0);
    expect(dropCapture).toBeGreaterThan(dropGuard);
  });

  it('keeps the history table append-only after down, and status reports it as untracked history', async () => {
    const plan = await planMigration(db.pool, [item], { protections: guard });
    await runAll(plan.up);
    await db.pool.query(`INSERT INTO item VALUES (1, 'a')`);
    await runAll(plan.down);

    const guards = await db.pool.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'rowtrail.item_history'::regclass AND NOT tgisinternal`);
    expect(guards.rows).toEqual([{ tgname: 'rowtrail_append_only' }]);
    await expect(db.pool.query(`DELETE FROM rowtrail.item_history`)).rejects.toMatchObject({ code: 'RT001' });
    expect(await notInstalled([])).toEqual([
      { kind: 'history-table', table: '', name: 'rowtrail.item_history', state: 'orphaned', detail: UNTRACKED_HISTORY },
    ]);
    // expected again by the entities, it is the table a new install adopts (no orphan)
    expect((await notInstalled([item])).map((e) => `${e.kind} ${e.state}`)).toEqual(['capture missing']);

    await prune(db.pool, [], { dropHistory: true, allowEmpty: true });
    expect(await notInstalled([])).toEqual([]);
    expect((await db.pool.query(`SELECT reason FROM rowtrail.maintenance_log`)).rows).toEqual([{ reason: 'prune: drop orphaned history table rowtrail.item_history' }]);
  });

  it('gives a retyped column its old history column back on down, so writes work after the application\'s own down', async () => {
    await install(db.pool, [reading('text')]);
    await db.pool.query(`INSERT INTO reading VALUES (1, '12')`);
    const appUp = `ALTER TABLE reading ALTER COLUMN value TYPE integer USING value::integer`;
    const appDown = `ALTER TABLE reading ALTER COLUMN value TYPE text`;

    await db.pool.query(appUp);
    const plan = await planMigration(db.pool, [reading('integer')]);
    await runAll(plan.up);
    await db.pool.query(`INSERT INTO reading VALUES (2, 13)`);
    await runAll(plan.down);
    await db.pool.query(appDown);

    await db.pool.query(`INSERT INTO reading VALUES (3, '14')`);
    await db.pool.query(`UPDATE reading SET value = '15' WHERE id = 1`);
    expect(await notInstalled([reading('text')])).toEqual([]);
    const history = `SELECT rowtrail_operation AS op, id, value, value__integer AS "integer" FROM rowtrail.reading_history ORDER BY rowtrail_event_id`;
    expect((await db.pool.query(history)).rows).toEqual([
      { op: 'INSERT', id: 1, value: '12', integer: null },
      { op: 'INSERT', id: 2, value: null, integer: 13 }, // written in the new type, kept under its name
      { op: 'INSERT', id: 3, value: '14', integer: null },
      { op: 'UPDATE', id: 1, value: '15', integer: null },
    ]);

    // and the same migration runs again after both downs
    await db.pool.query(appUp);
    await runAll(plan.up);
    await db.pool.query(`INSERT INTO reading VALUES (4, 16)`);
    expect(await notInstalled([reading('integer')])).toEqual([]);
    const { rows } = await db.pool.query(`SELECT id, value, value__text AS text FROM rowtrail.reading_history WHERE id IN (2, 3, 4) ORDER BY rowtrail_event_id`);
    // the values written in the new type before the down are under the column's name again
    expect(rows).toEqual([{ id: 2, value: 13, text: null }, { id: 3, value: null, text: '14' }, { id: 4, value: 16, text: null }]);
    const columns = await db.pool.query(`SELECT attname FROM pg_attribute WHERE attrelid = 'rowtrail.reading_history'::regclass AND attname LIKE 'value%' AND NOT attisdropped ORDER BY 1`);
    expect(columns.rows.map((r) => r.attname)).toEqual(['value', 'value__text']);
  });

  it('takes back, on install, the values a migration\'s down kept under "<name>__<new type>"', async () => {
    await db.pool.query(`CREATE TABLE gauge (id int PRIMARY KEY, level text)`);
    const gauge = (type: string) => tracked('gauge', { id: 'integer', level: type });
    await install(db.pool, [gauge('text')]);
    await db.pool.query(`ALTER TABLE gauge ALTER COLUMN level TYPE integer USING level::integer`);
    const plan = await planMigration(db.pool, [gauge('integer')]);
    await runAll(plan.up);
    await db.pool.query(`INSERT INTO gauge VALUES (1, 7)`);
    await runAll(plan.down);
    await db.pool.query(`ALTER TABLE gauge ALTER COLUMN level TYPE text`);
    await db.pool.query(`INSERT INTO gauge VALUES (2, '8')`);

    await db.pool.query(`ALTER TABLE gauge ALTER COLUMN level TYPE integer USING level::integer`);
    await install(db.pool, [gauge('integer')]);
    await db.pool.query(`INSERT INTO gauge VALUES (3, 9)`);
    const { rows } = await db.pool.query(`SELECT id, level, level__text AS text FROM rowtrail.gauge_history ORDER BY rowtrail_event_id`);
    expect(rows).toEqual([{ id: 1, level: 7, text: null }, { id: 2, level: null, text: '8' }, { id: 3, level: 9, text: null }]);
    expect((await notInstalled([gauge('integer')])).filter((e) => `${e.table} ${e.name}`.includes('gauge'))).toEqual([]);
  });
});

describe('the columns a table has that its entities do not map', () => {
  it('are recorded by the migration that installs the capture, and by one of their own when they change', async () => {
    await db.pool.query(`CREATE TABLE memo (id int PRIMARY KEY, body text, legacy text)`);
    const memo = tracked('memo', { id: 'integer', body: 'text' });
    const unrecorded = async () => (await db.pool.query(`SELECT unrecorded FROM rowtrail.tracked_table WHERE table_name = 'public.memo'`)).rows[0].unrecorded;
    await runAll((await planMigration(db.pool, [memo])).up);
    expect(await unrecorded()).toEqual(['legacy']);

    await db.pool.query(`ALTER TABLE memo ADD COLUMN rank int`);
    const plan = await planMigration(db.pool, [memo]);
    expect(plan.changes).toEqual(['record the columns of public.memo its history leaves out (legacy, rank)']);
    await runAll(plan.up);
    expect(await unrecorded()).toEqual(['legacy', 'rank']);
    expect((await planMigration(db.pool, [memo])).changes).toEqual([]);
    await runAll(plan.down); // leaves the list as up wrote it (true of the table either way)
    expect(await unrecorded()).toEqual(['legacy', 'rank']);

    // a registry row written before core version 13 lists nothing yet
    await db.pool.query(`UPDATE rowtrail.tracked_table SET unrecorded = NULL WHERE table_name = 'public.memo'`);
    await runAll((await planMigration(db.pool, [memo])).up);
    expect(await unrecorded()).toEqual(['legacy', 'rank']);
  });
});

describe('the columns left out, when an install kept the registry\'s exclusions', () => {
  it('are compared as the registry lists them, so that the next plan finds nothing to do', async () => {
    await db.pool.query(`CREATE TABLE voucher (id int PRIMARY KEY, code text, token text)`);
    await runAll((await planMigration(db.pool, [{ ...tracked('voucher', { id: 'integer', code: 'text', token: 'text' }), exclude: ['token'] }])).up);
    // the entity no longer maps token: the same capture, so the registry still lists token as excluded
    const unmapped = tracked('voucher', { id: 'integer', code: 'text' });
    await runAll((await planMigration(db.pool, [unmapped])).up);
    expect((await planMigration(db.pool, [unmapped])).changes).toEqual([]);
  });
});

describe('a Rowtrail schema whose name needs quoting', () => {
  it('is found as existing: the plan neither creates it again nor drops it on down', async () => {
    for (const schema of ['Audit', 'audit trail']) {
      await install(db.pool, [], { schema });
      const plan = await planMigration(db.pool, [], { schema });
      expect(plan.changes.filter((c) => c.startsWith('create schema'))).toEqual([]);
      expect(plan.down.join('\n')).not.toMatch(/DROP SCHEMA/);
    }
  });
});

describe('a migration planned against a database without the Rowtrail schema', () => {
  let fresh: TestDatabase;
  beforeAll(async () => {
    fresh = await createTestDatabase('migration_plan_no_schema');
    await fresh.pool.query(`CREATE TABLE item (id int PRIMARY KEY, name text)`);
  });
  afterAll(() => fresh.drop());
  const run = (statements: string[]) => runAsMigration(fresh.pool, statements);
  const schemaExists = async () => (await fresh.pool.query(`SELECT to_regnamespace('rowtrail') IS NOT NULL AS e`)).rows[0].e as boolean;
  const historyRows = async () => Number((await fresh.pool.query(`SELECT count(*) AS n FROM rowtrail.item_history`)).rows[0].n);

  it('drops on down the schema its up created, and only that one', async () => {
    const a = await planMigration(fresh.pool, [item]);
    const b = await planMigration(fresh.pool, [item]); // generated from the same state (another branch, say)
    expect(a.changes[0]).toBe('create schema rowtrail');
    await run(a.up);
    await run(b.up); // the schema exists now: b's up installs nothing new, and b did not create it
    await fresh.pool.query(`INSERT INTO item VALUES (1, 'first')`);
    await run(b.down);
    expect(await schemaExists()).toBe(true);
    expect(await historyRows()).toBe(1);
    await run(a.down);
    expect(await schemaExists()).toBe(false);
  });

  it('keeps on down a schema installed after it was planned, with the history recorded before it ran', async () => {
    const plan = await planMigration(fresh.pool, [item]);
    await install(fresh.pool, [item]); // a runtime install between generating and running the migration
    await fresh.pool.query(`INSERT INTO item VALUES (2, 'second')`);
    await run(plan.up);
    await run(plan.down);
    expect(await schemaExists()).toBe(true);
    expect(await historyRows()).toBe(1);
    await fresh.pool.query(`DROP SCHEMA rowtrail CASCADE`);
  });

  it('refuses on down, dropping nothing, while objects of others depend on the schema it created', async () => {
    const plan = await planMigration(fresh.pool, [item]);
    await run(plan.up);
    await fresh.pool.query(`INSERT INTO item VALUES (3, 'third')`);
    await fresh.pool.query(`CREATE VIEW audit_report AS SELECT * FROM rowtrail.event`);
    await expect(run(plan.down)).rejects.toThrow(/would drop schema rowtrail with all its history, and with it .*view audit_report.*Nothing was dropped/);
    expect(await schemaExists()).toBe(true);
    expect(await historyRows()).toBe(1);
    await fresh.pool.query(`DROP VIEW audit_report`);
    await run(plan.down);
    expect(await schemaExists()).toBe(false);
    // the capture triggers went with the schema: the table is writable and untracked
    await fresh.pool.query(`UPDATE item SET name = 'after' WHERE id = 3`);
  });
});
