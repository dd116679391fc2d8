// A table's capture triggers have fixed names, and its history table's name is derived from its own: two
// installations tracking one table, or two tables whose history tables get one name, are refused with an
// error that says which, before anything is changed (they used to take over each other's capture silently,
// or fail on a registry constraint).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCaptureDdl } from '../ddl/capture-ddl.js';
import { resolveSchemaOptions } from '../ddl/tracked-table-spec.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { status } from '../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { runAsMigration } from '../testing/run-as-migration.js';
import { install } from './installer.js';

let db: TestDatabase;
const item = idValueSpec('item');
const billingInvoice = idValueSpec('billing_invoice'); // public.billing_invoice → billing_invoice_history
const invoice = { ...idValueSpec('invoice'), schema: 'billing' }; // billing.invoice → billing_invoice_history too

beforeAll(async () => {
  db = await createTestDatabase('tracking_conflicts');
  await db.pool.query(`CREATE TABLE item (id integer PRIMARY KEY, v text)`);
  await db.pool.query(`CREATE TABLE billing_invoice (id integer PRIMARY KEY, v text)`);
  await db.pool.query(`CREATE SCHEMA billing`);
  await db.pool.query(`CREATE TABLE billing.invoice (id integer PRIMARY KEY, v text)`);
});
afterAll(() => db.drop());

const historyRows = async (table: string) => (await db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

describe('a table tracked by two Rowtrail installations', () => {
  it('is refused by the second one, which leaves the first one capturing', async () => {
    await install(db.pool, [item], { schema: 'rowtrail' });
    await expect(install(db.pool, [item], { schema: 'audit' }))
      .rejects.toThrow(/cannot track table public\.item in schema "audit": its capture triggers write to the Rowtrail installation in schema "rowtrail"/);
    await expect(planMigration(db.pool, [item], { schema: 'audit' })).rejects.toThrow(/installation in schema "rowtrail"/);
    await db.pool.query(`INSERT INTO item VALUES (1, 'a')`);
    expect(await historyRows('rowtrail.item_history')).toBe(1);
    expect((await db.pool.query(`SELECT to_regnamespace('audit') AS n`)).rows[0].n).toBeNull(); // the refused install changed nothing
  });

  it('is not reported as up to date by the installation whose triggers another one took over', async () => {
    // what an install into "audit" did before it was refused: it replaced the triggers, and the next install
    // into "rowtrail" found triggers of the right names and reported nothing to do, while "rowtrail" recorded nothing
    await install(db.pool, [], { schema: 'audit' });
    for (const statement of buildCaptureDdl(item, resolveSchemaOptions({ schema: 'audit' })).statements) await db.pool.query(statement);
    await expect(install(db.pool, [item], { schema: 'rowtrail' }))
      .rejects.toThrow(/cannot track table public\.item in schema "rowtrail": its capture triggers write to the Rowtrail installation in schema "audit"/);
    const capture = (await status(db.pool, [item], { schema: 'rowtrail' })).entries.find((e) => e.kind === 'capture');
    expect(capture).toMatchObject({ table: 'public.item', state: 'outdated', detail: expect.stringMatching(/run the functions of the Rowtrail installation in schema "audit", so its changes are recorded there, not here/) });
  });
});

describe('a generated migration for a table another installation tracked since', () => {
  it('refuses when it runs, naming the other installation, and changes nothing', async () => {
    await db.pool.query(`CREATE TABLE widget (id integer PRIMARY KEY, v text)`);
    const widget = idValueSpec('widget');
    const plan = await planMigration(db.pool, [widget], { schema: 'rowtrail' });
    await install(db.pool, [widget], { schema: 'audit' }); // before the migration is deployed
    await expect(runAsMigration(db.pool, plan.up)).rejects.toMatchObject({
      code: '55006', message: 'Rowtrail: cannot track table public.widget in schema "rowtrail": its capture triggers write to the Rowtrail installation in schema "audit", and a table can be tracked by one installation',
    });
    const { rows } = await db.pool.query(`SELECT DISTINCT n.nspname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace WHERE t.tgrelid = 'widget'::regclass`);
    expect(rows).toEqual([{ nspname: 'audit' }]);
  });
});

describe('two installations tracking one table at the same time', () => {
  it('let one of them track it and refuse the other, whichever schema each installs', async () => {
    await db.pool.query(`CREATE TABLE gadget (id integer PRIMARY KEY, v text)`);
    const gadget = idValueSpec('gadget');
    // a writer's lock on the table holds both installs at the point where they create its triggers
    const holder = await db.pool.connect();
    try {
      await holder.query(`BEGIN`);
      await holder.query(`LOCK TABLE gadget IN ACCESS EXCLUSIVE MODE`);
      const outcomes = Promise.allSettled([install(db.pool, [gadget], { schema: 'left_side' }), install(db.pool, [gadget], { schema: 'right_side' })]);
      await waitUntil(async () => (await db.pool.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)).rows[0].n === 2);
      await holder.query(`COMMIT`);
      const [left, right] = await outcomes;
      expect([left.status, right.status].sort()).toEqual(['fulfilled', 'rejected']);
      const refused = [left, right].find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
      expect(String(refused.reason)).toMatch(/cannot track table public\.gadget in schema "(left|right)_side": its capture triggers write to the Rowtrail installation in schema "(left|right)_side"/);
    } finally {
      holder.release();
    }
  });
});

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('timed out waiting for both installs to wait on a lock');
}

describe('a table whose schema name holds a dot', () => {
  it('is refused, install and migration alike, before anything is changed: its name would be another table\'s', async () => {
    // public."a.b" and "public.a".b are both public.a.b: one registry row, one of the two histories gone from rowtrail.event
    await db.pool.query(`CREATE TABLE public."a.b" (id integer PRIMARY KEY, v text)`);
    await db.pool.query(`CREATE SCHEMA "public.a"`);
    await db.pool.query(`CREATE TABLE "public.a".b (id integer PRIMARY KEY, v text)`);
    const dotted = { ...idValueSpec('b'), schema: 'public.a' };
    const message = 'Rowtrail: cannot track table "public.a"."b": its schema name holds a dot, and Rowtrail names tables schema.table, '
      + 'read up to the first dot (public.a.b would name table "public"."a.b"); rename the schema';
    await expect(install(db.pool, [idValueSpec('a.b'), dotted])).rejects.toThrow(message);
    await expect(install(db.pool, [dotted])).rejects.toThrow(message);
    await expect(planMigration(db.pool, [dotted])).rejects.toThrow(message);
    expect((await db.pool.query(`SELECT table_name FROM rowtrail.tracked_table WHERE table_name LIKE 'public.a%'`)).rows).toEqual([]);
    // protections too: ignore(['public.a.b:keep']) would let writes to either table through
    const keep = { ...dotted, columns: [{ name: 'id', type: 'integer' }], protections: [{ kind: 'protect' as const, name: 'keep', operations: ['delete' as const] }] };
    const protectMessage = message.replace('cannot track table', 'cannot protect table');
    await expect(install(db.pool, [], { protections: [keep] })).rejects.toThrow(protectMessage);
    await expect(planMigration(db.pool, [], { protections: [keep] })).rejects.toThrow(protectMessage);
    expect((await db.pool.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = '"public.a".b'::regclass`)).rows).toEqual([]);
    // a dot in the table's own name is unambiguous
    await install(db.pool, [idValueSpec('a.b')]);
    await db.pool.query(`INSERT INTO public."a.b" VALUES (1, 'x')`);
    expect((await db.pool.query(`SELECT table_name FROM rowtrail.event WHERE table_name = 'public.a.b'`)).rows).toEqual([{ table_name: 'public.a.b' }]);
    await db.pool.query(`DROP SCHEMA "public.a" CASCADE`);
  });
});

describe('two tables whose history tables would have one name', () => {
  it('are refused in one install, naming both and the option that separates them', async () => {
    await expect(install(db.pool, [billingInvoice, invoice]))
      .rejects.toThrow(/cannot track both public\.billing_invoice and billing\.invoice: they would share the history table rowtrail\.billing_invoice_history; give one of them another name with the snapshotTableName option/);
    await expect(planMigration(db.pool, [billingInvoice, invoice])).rejects.toThrow(/would share the history table/);
  });

  it('are refused when the second is tracked later, before anything is changed', async () => {
    await install(db.pool, [billingInvoice]);
    const functions = async () => (await db.pool.query(`SELECT p.prosrc FROM pg_proc p WHERE p.oid = 'rowtrail.billing_invoice_history_insert'::regproc`)).rows;
    const before = await functions();
    await expect(install(db.pool, [invoice]))
      .rejects.toThrow(/cannot track both billing\.invoice and public\.billing_invoice: they would share the history table rowtrail\.billing_invoice_history/);
    await expect(planMigration(db.pool, [billingInvoice, invoice])).rejects.toThrow(/would share the history table/);
    expect(await functions()).toEqual(before);
    await db.pool.query(`INSERT INTO billing_invoice VALUES (1, 'a')`);
    await db.pool.query(`INSERT INTO billing.invoice VALUES (1, 'b')`);
    const { rows } = await db.pool.query(`SELECT table_name, changes FROM rowtrail.event WHERE table_name LIKE '%invoice' ORDER BY event_id`);
    expect(rows).toEqual([{ table_name: 'public.billing_invoice', changes: { id: 1, v: 'a' } }]);
  });

  it('can both be tracked once one history table is named otherwise', async () => {
    const snapshotTableName = (t: { schema: string; table: string }) => (t.schema === 'billing' ? `billing__${t.table}_history` : `${t.table}_history`);
    await install(db.pool, [billingInvoice, invoice], { snapshotTableName });
    await db.pool.query(`UPDATE billing.invoice SET v = 'c'`);
    expect(await historyRows('rowtrail.billing__invoice_history')).toBe(1);
  });
});
