// Columns read from the catalog (install --table, database-only status) are typed as history records them: a domain
// as its base type. A history column of the domain's type carried the domain's NOT NULL and CHECK constraints into
// history (once the column was dropped from the table, every later write failed on the NULL its history row holds)
// and kept the domain from being dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { catalogColumns } from './catalog-columns.js';
import { install } from './installer.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('catalog_columns');
  await db.pool.query(`CREATE DOMAIN required_int AS integer NOT NULL;
    CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
    CREATE DOMAIN small_positive AS positive_int CHECK (VALUE < 100);
    CREATE DOMAIN short_text AS varchar(10);
    CREATE TYPE mood AS ENUM ('calm', 'busy');
    CREATE DOMAIN known_mood AS mood NOT NULL;
    CREATE DOMAIN tag_list AS text[] CHECK (cardinality(VALUE) < 5)`);
  await db.pool.query(`CREATE TABLE shelf (id int PRIMARY KEY, qty required_int, score small_positive, code short_text, mood known_mood,
    tags tag_list, scores positive_int[], price numeric(8,2))`);
});
afterAll(() => db.drop());

const specOf = async (table: string): Promise<TrackedTableSpec> => ({
  schema: 'public', table, primaryKey: ['id'], label: table, exclude: [], ignoreChanges: [], columns: await catalogColumns(db.pool, `public.${table}`),
});
const historyTypes = async (table: string) => (await db.pool.query(`SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
  WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attname NOT LIKE 'rowtrail\\_%' ORDER BY attnum`, [`rowtrail.${table}_history`])).rows;

describe('catalog columns of domain types', () => {
  it('are typed as the domain\'s base type, through domains of domains, arrays and enums', async () => {
    expect(await catalogColumns(db.pool, 'public.shelf')).toEqual([
      { name: 'id', type: 'integer' }, { name: 'qty', type: 'integer' }, { name: 'score', type: 'integer' },
      { name: 'code', type: 'character varying(10)' }, { name: 'mood', type: 'text' }, { name: 'tags', type: 'text[]' },
      { name: 'scores', type: 'integer[]' }, { name: 'price', type: 'numeric(8,2)' },
    ]);
  });

  it('keep history writable after a NOT NULL domain column is dropped, and let the domain be dropped', async () => {
    await install(db.pool, [await specOf('shelf')]);
    await db.pool.query(`INSERT INTO shelf VALUES (1, 5, 7, 'a', 'calm', '{x}', '{1,2}', 1.5)`);
    await db.pool.query(`ALTER TABLE shelf DROP COLUMN qty`);
    await install(db.pool, [await specOf('shelf')]);
    await db.pool.query(`INSERT INTO shelf VALUES (2, 8, 'b', 'busy', '{}', '{}', 2)`);
    await db.pool.query(`ALTER TABLE shelf DROP COLUMN score, DROP COLUMN tags`);
    await install(db.pool, [await specOf('shelf')]);
    await db.pool.query(`DROP DOMAIN required_int; DROP DOMAIN small_positive; DROP DOMAIN tag_list`);
    await db.pool.query(`UPDATE shelf SET code = 'c' WHERE id = 2`);
    const { rows } = await db.pool.query(`SELECT operation, changes FROM rowtrail.event WHERE table_name = 'public.shelf' ORDER BY event_id`);
    expect(rows.map((r) => r.operation)).toEqual(['INSERT', 'INSERT', 'UPDATE']);
    expect((await db.pool.query(`SELECT id, qty, score FROM rowtrail.shelf_history ORDER BY rowtrail_event_id`)).rows)
      .toEqual([{ id: 1, qty: 5, score: 7 }, { id: 2, qty: null, score: 8 }, { id: 2, qty: null, score: null }]);
  });

  it('retype a domain-typed history column of an earlier install to the base type in place, values kept', async () => {
    await db.pool.query(`CREATE DOMAIN count_int AS integer NOT NULL; CREATE DOMAIN some_tags AS text[]; CREATE TABLE bin (id int PRIMARY KEY, qty count_int, code short_text, mood known_mood, tags some_tags)`);
    // as install --table recorded domains before: history columns of the domains' types (install now refuses to
    // declare a domain with constraints, so the earlier history table is made by hand)
    await install(db.pool, [await specOf('bin')]);
    await db.pool.query(`ALTER TABLE rowtrail.bin_history ALTER COLUMN qty TYPE count_int, ALTER COLUMN code TYPE short_text,
      ALTER COLUMN mood TYPE known_mood USING mood::known_mood, ALTER COLUMN tags TYPE some_tags`);
    await db.pool.query(`INSERT INTO bin VALUES (1, 3, 'x', 'calm', '{a}')`);
    expect(await historyTypes('bin')).toEqual([{ name: 'id', type: 'integer' }, { name: 'qty', type: 'count_int' }, { name: 'code', type: 'short_text' }, { name: 'mood', type: 'known_mood' }, { name: 'tags', type: 'some_tags' }]);
    await install(db.pool, [await specOf('bin')]);
    expect(await historyTypes('bin')).toEqual([{ name: 'id', type: 'integer' }, { name: 'qty', type: 'integer' }, { name: 'code', type: 'character varying' }, { name: 'mood', type: 'text' }, { name: 'tags', type: 'text[]' }]);
    await db.pool.query(`ALTER TABLE bin DROP COLUMN qty`);
    await install(db.pool, [await specOf('bin')]);
    await db.pool.query(`INSERT INTO bin VALUES (2, 'y', 'busy', '{}')`);
    expect((await db.pool.query(`SELECT id, qty, code, mood, tags FROM rowtrail.bin_history ORDER BY rowtrail_event_id`)).rows)
      .toEqual([{ id: 1, qty: 3, code: 'x', mood: 'calm', tags: ['a'] }, { id: 2, qty: null, code: 'y', mood: 'busy', tags: [] }]);
  });
});
