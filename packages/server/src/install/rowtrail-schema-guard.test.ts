import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planMigration } from '../lifecycle/migration-plan.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { install } from './installer.js';
import { uninstall } from './uninstaller.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('schema_guard');
  await db.pool.query(`CREATE TABLE item (id integer PRIMARY KEY, v text)`);
  await db.pool.query(`CREATE SCHEMA shop; CREATE TABLE shop.orders (id serial PRIMARY KEY); INSERT INTO shop.orders DEFAULT VALUES`);
  // TypeORM's own migrations table in public, as an application has it
  await db.pool.query(`CREATE TABLE migrations (id serial PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL)`);
});
afterAll(() => db.drop());

const count = async (sql: string) => (await db.pool.query(sql)).rows[0].n as number;

describe('the schema Rowtrail installs into', () => {
  it('refuses public and system schemas, and installs nothing', async () => {
    for (const schema of ['public', 'pg_catalog', 'information_schema']) {
      await expect(install(db.pool, [idValueSpec('item')], { schema }))
        .rejects.toThrow(`cannot install into schema "${schema}": Rowtrail needs a schema of its own`);
    }
    await expect(planMigration(db.pool, [idValueSpec('item')], { schema: 'public' })).rejects.toThrow('cannot install into schema "public"');
    expect(await count(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgname LIKE 'rowtrail_%'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM migrations`)).toBe(0);
  });

  it('refuses a schema that already holds an application\'s tables', async () => {
    await expect(install(db.pool, [idValueSpec('item')], { schema: 'shop' }))
      .rejects.toThrow('cannot install into schema "shop": it already holds table orders and is not a Rowtrail installation');
    expect(await count(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'shop'::regnamespace AND relkind = 'r'`)).toBe(1);
  });

  it('installs into an empty schema made ahead of time, and again into its own installation', async () => {
    await db.pool.query(`CREATE SCHEMA audit`);
    await install(db.pool, [idValueSpec('item')], { schema: 'audit' });
    await install(db.pool, [idValueSpec('item')], { schema: 'audit' });
    await db.pool.query(`INSERT INTO item VALUES (1, 'a')`);
    expect(await count(`SELECT count(*)::int AS n FROM audit.item_history`)).toBe(1);
  });
});

describe('uninstall', () => {
  it('refuses a schema that is not a Rowtrail installation, and drops nothing', async () => {
    await expect(uninstall(db.pool, { schema: 'shop' }))
      .rejects.toThrow('schema "shop" is not a Rowtrail installation (it has no Rowtrail migrations and tracked_table registry): nothing was removed');
    await expect(uninstall(db.pool, { schema: 'public' })).rejects.toThrow('schema "public" is not a Rowtrail installation');
    expect(await count(`SELECT count(*)::int AS n FROM shop.orders`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM item`)).toBe(1);
  });

  it('refuses an installation that also holds tables of its own, and drops nothing', async () => {
    await db.pool.query(`CREATE TABLE audit.notes (id int); CREATE VIEW audit.recent AS SELECT 1 AS one`);
    await expect(uninstall(db.pool, { schema: 'audit' }))
      .rejects.toThrow('will not remove schema "audit": besides Rowtrail\'s objects it holds table notes, view recent, which uninstall would drop with it');
    expect(await count(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'item'::regclass AND tgname LIKE 'rowtrail_%'`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*)::int AS n FROM audit.item_history`)).toBe(1);
  });

  it('removes an installation that holds only its own objects; a schema that does not exist is nothing to do', async () => {
    await db.pool.query(`DROP TABLE audit.notes; DROP VIEW audit.recent`);
    expect(await uninstall(db.pool, { schema: 'audit' })).toEqual({ removedTables: ['public.item'] });
    expect((await db.pool.query(`SELECT to_regnamespace('audit') AS s`)).rows[0].s).toBeNull();
    expect(await uninstall(db.pool, { schema: 'audit' })).toEqual({ removedTables: [] });
    expect(await count(`SELECT count(*)::int AS n FROM shop.orders`)).toBe(1);
  });
});
