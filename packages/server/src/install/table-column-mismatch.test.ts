import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { status } from '../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { install } from './installer.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('column_mismatch');
  await db.pool.query(`CREATE TYPE mood AS ENUM ('calm', 'busy'); CREATE DOMAIN small_count AS integer CHECK (VALUE >= 0)`);
  await db.pool.query(`CREATE TABLE customer (id integer PRIMARY KEY, display_name text, qty numeric(10,2), secret text)`);
  await db.pool.query(`CREATE TABLE compatible (id integer PRIMARY KEY, name text, code char(3), doc jsonb, n integer, tags varchar(20)[],
    m mood, c small_count, at timestamptz)`);
});
afterAll(() => db.drop());

const spec = (table: string, columns: Array<[string, string]>, overrides: Partial<TrackedTableSpec> = {}): TrackedTableSpec => ({
  schema: 'public', table, primaryKey: ['id'], label: table, exclude: [], ignoreChanges: [],
  columns: columns.map(([name, type]) => ({ name, type })), ...overrides,
});

// the entity as it was before a migration renamed nickname, dropped prefs and retyped qty
const staleCustomer = spec('customer', [['id', 'integer'], ['nickname', 'text'], ['prefs', 'jsonb'], ['qty', 'integer'], ['secret', 'text']]);

describe('declared columns compared with the table', () => {
  it('refuses columns the table lacks and a type history would change values in, naming each; installs nothing', async () => {
    const message = 'cannot track table public.customer: columns nickname, prefs are not in the table; qty is numeric(10,2) in the table but declared integer.';
    await expect(install(db.pool, [staleCustomer])).rejects.toThrow(message);
    await expect(planMigration(db.pool, [staleCustomer])).rejects.toThrow(message);
    expect((await db.pool.query(`SELECT to_regnamespace('rowtrail') AS s`)).rows[0].s).toBeNull();
  });

  it('does not check an excluded column (history never reads it)', async () => {
    const withoutSecret = spec('customer', [['id', 'integer'], ['display_name', 'text'], ['qty', 'numeric'], ['gone', 'text']], { exclude: ['gone'] });
    await install(db.pool, [withoutSecret]);
    await db.pool.query(`INSERT INTO customer VALUES (1, 'Ann', 9.75, 's')`);
    expect((await db.pool.query(`SELECT qty FROM rowtrail.customer_history`)).rows).toEqual([{ qty: '9.75' }]);
  });

  it('accepts types that hold the table\'s values unchanged', async () => {
    await install(db.pool, [spec('compatible', [['id', 'bigint'], ['name', 'character varying'], ['code', 'text'], ['doc', 'jsonb'],
      ['n', 'numeric'], ['tags', 'text[]'], ['m', 'text'], ['c', 'integer'], ['at', 'timestamp with time zone']])]);
    await db.pool.query(`INSERT INTO compatible VALUES (1, 'a', 'xy', '{"a": 1}', 7, '{t}', 'calm', 3, now())`);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.compatible_history`)).rows[0].n).toBe(1);
  });

  it('refuses a narrower or other type: timestamptz as timestamp, jsonb as json, an array as its element', async () => {
    await expect(install(db.pool, [spec('compatible', [['id', 'integer'], ['at', 'timestamp without time zone'], ['doc', 'json'], ['tags', 'text']])]))
      .rejects.toThrow('at is timestamp with time zone in the table but declared timestamp without time zone; doc is jsonb in the table but declared json; tags is character varying(20)[] in the table but declared text');
  });

  it('refuses a declared domain with a constraint, also the column\'s own, and name for text (it cuts values at 63 bytes)', async () => {
    // A history column of a domain's type applies its checks: to an integer column's -1, and (NOT NULL) to the nulls
    // history writes once a migration drops the column. History records a domain as its base type.
    await expect(install(db.pool, [spec('compatible', [['id', 'integer'], ['c', 'small_count'], ['n', 'small_count'], ['name', 'name'], ['tags', 'small_count[]']])]))
      .rejects.toThrow('c is declared small_count, a domain whose constraints history would apply to what it records (declare integer); '
        + 'n is declared small_count, a domain whose constraints history would apply to what it records (declare integer); '
        + 'name is text in the table but declared name; '
        + 'tags is declared small_count[], a domain whose constraints history would apply to what it records (declare character varying(20)[])');
  });

  it('reports an installed capture whose table a migration changed since as outdated, naming the columns', async () => {
    const current = spec('customer', [['id', 'integer'], ['display_name', 'text'], ['qty', 'numeric'], ['secret', 'text']]);
    await install(db.pool, [current]);
    await db.pool.query(`ALTER TABLE customer RENAME COLUMN display_name TO full_name`);
    const capture = (await status(db.pool, [current])).entries.find((e) => e.kind === 'capture' && e.table === 'public.customer');
    expect(capture).toMatchObject({ state: 'outdated', detail: 'the table does not match the declared columns: column display_name is not in the table' });
    await db.pool.query(`ALTER TABLE customer RENAME COLUMN full_name TO display_name`);
    expect((await status(db.pool, [current])).entries.find((e) => e.kind === 'capture' && e.table === 'public.customer')?.state).toBe('installed');
  });
});
