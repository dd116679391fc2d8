import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planMigration } from '../lifecycle/migration-plan.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { install } from './installer.js';

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
      .rejects.toThrow('cannot install into schema "shop": it already holds table shop.orders and is not a Rowtrail installation');
    expect(await count(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'shop'::regnamespace AND relkind = 'r'`)).toBe(1);
  });

  it('refuses a schema that holds other objects of an application: a type, a function', async () => {
    await db.pool.query(`CREATE SCHEMA kinds; CREATE TYPE kinds.mood AS ENUM ('ok'); CREATE FUNCTION kinds.answer() RETURNS int LANGUAGE sql AS 'SELECT 42'`);
    await expect(install(db.pool, [idValueSpec('item')], { schema: 'kinds' }))
      .rejects.toThrow('cannot install into schema "kinds": it already holds function kinds.answer(), type kinds.mood and is not a Rowtrail installation');
    expect(await count(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'kinds'::regnamespace`)).toBe(0);
  });

  it('installs into an empty schema made ahead of time, and again into its own installation', async () => {
    await db.pool.query(`CREATE SCHEMA audit`);
    await install(db.pool, [idValueSpec('item')], { schema: 'audit' });
    await install(db.pool, [idValueSpec('item')], { schema: 'audit' });
    await db.pool.query(`INSERT INTO item VALUES (1, 'a')`);
    expect(await count(`SELECT count(*)::int AS n FROM audit.item_history`)).toBe(1);
  });
});
