// A column of a composite type (or an array of one, a domain over one) is recorded by install --table as text, as
// enums are: a history column of the composite's type changed with the type (ALTER TYPE … DROP ATTRIBUTE removed the
// attribute from every past snapshot) and kept it alive (DROP TYPE refused, DROP TYPE … CASCADE dropped the history
// column). So is a column of an extension's string type (citext), which DROP EXTENSION … CASCADE would have dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVersions } from '../query/compare-versions.js';
import { recordHistory } from '../query/record-history.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { catalogColumns } from './catalog-columns.js';
import { catalogTableSpec } from './catalog-table-spec.js';
import { install } from './installer.js';
import { tableColumnMismatch } from './table-column-mismatch.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('composite_history_column');
  await db.pool.query(`CREATE EXTENSION citext;
    CREATE TYPE addr AS (street text, zip int);
    CREATE DOMAIN known_addr AS addr CHECK ((VALUE).street <> '');
    CREATE TABLE tag (id int PRIMARY KEY, label text)`);
});
afterAll(() => db.drop());

const specOf = async (table: string) => (await catalogTableSpec(db.pool, `public.${table}`))!;
const historyTypes = async (table: string) => (await db.pool.query(`SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
  WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attname NOT LIKE 'rowtrail\\_%' ORDER BY attnum`, [`rowtrail.${table}_history`])).rows;

describe('history of composite columns', () => {
  it('records composites, arrays and domains of them, a table\'s row type and citext as text', async () => {
    await db.pool.query(`CREATE TABLE kinds (id int PRIMARY KEY, a addr, l addr[], k known_addr, t tag, n citext, ns citext[])`);
    expect(await catalogColumns(db.pool, 'public.kinds')).toEqual([
      { name: 'id', type: 'integer' }, { name: 'a', type: 'text' }, { name: 'l', type: 'text[]' }, { name: 'k', type: 'text' },
      { name: 't', type: 'text' }, { name: 'n', type: 'text' }, { name: 'ns', type: 'text[]' },
    ]);
    await install(db.pool, [await specOf('kinds')]);
    await db.pool.query(`INSERT INTO kinds VALUES (1, ROW('Main St', 7), ARRAY[ROW('a', 1)::addr], ROW('b', 2), ROW(3, 'x'), 'MiXed', '{Up,down}')`);
    await db.pool.query(`UPDATE kinds SET n = 'mixed' WHERE id = 1`); // citext's "=" ignores case: history does not
    expect((await db.pool.query(`SELECT a, l, k, t, n, ns FROM rowtrail.kinds_history ORDER BY rowtrail_event_id`)).rows).toEqual([
      { a: '("Main St",7)', l: ['(a,1)'], k: '(b,2)', t: '(3,x)', n: 'MiXed', ns: ['Up', 'down'] },
      { a: '("Main St",7)', l: ['(a,1)'], k: '(b,2)', t: '(3,x)', n: 'mixed', ns: ['Up', 'down'] },
    ]);
    const { rows } = await db.pool.query(`SELECT changes FROM rowtrail.event WHERE table_name = 'public.kinds' ORDER BY event_id`);
    expect(rows[1].changes).toEqual({ n: ['MiXed', 'mixed'] });
    await db.pool.query(`ALTER TABLE kinds DROP COLUMN n, DROP COLUMN ns`);
    await install(db.pool, [await specOf('kinds')]);
    await db.pool.query(`DROP EXTENSION citext`); // no CASCADE: history does not depend on it
    expect((await db.pool.query(`SELECT n FROM rowtrail.kinds_history ORDER BY rowtrail_event_id`)).rows).toEqual([{ n: 'MiXed' }, { n: 'mixed' }]);
  });

  it('keeps past versions and their differences when an attribute is dropped from the type', async () => {
    await db.pool.query(`CREATE TABLE place (id int PRIMARY KEY, c addr, note text)`);
    await install(db.pool, [await specOf('place')]);
    await db.pool.query(`INSERT INTO place VALUES (1, ROW('Main St', 7), 'a')`);
    await db.pool.query(`UPDATE place SET c = ROW('Main St', 8) WHERE id = 1`);
    await db.pool.query(`UPDATE place SET note = 'b' WHERE id = 1`); // c unchanged: no change of c recorded
    await db.pool.query(`ALTER TYPE addr DROP ATTRIBUTE zip`);
    const events = (await recordHistory(db.pool, 'place', { id: 1 }, { order: 'asc' })).events;
    expect(events.map((e) => e.snapshot.c)).toEqual(['("Main St",7)', '("Main St",8)', '("Main St",8)']);
    expect(events[2].changes).toEqual({ note: ['a', 'b'] });
    const compared = await compareVersions(db.pool, 'place', { id: 1 }, events[0].eventId, events[1].eventId);
    expect(compared.changes).toEqual({ c: ['("Main St",7)', '("Main St",8)'] });
    // history keeps recording the type as it is now
    await install(db.pool, [await specOf('place')]);
    await db.pool.query(`UPDATE place SET c = ROW('Side St') WHERE id = 1`);
    expect((await db.pool.query(`SELECT c FROM rowtrail.place_history ORDER BY rowtrail_event_id`)).rows.map((r) => r.c))
      .toEqual(['("Main St",7)', '("Main St",8)', '("Main St",8)', '("Side St")']);
  });

  it('lets the type be dropped once the table no longer uses it, and history keeps its values', async () => {
    await db.pool.query(`CREATE TYPE spot AS (x int, y int); CREATE TABLE marker (id int PRIMARY KEY, s spot, ss spot[])`);
    await install(db.pool, [await specOf('marker')]);
    await db.pool.query(`INSERT INTO marker VALUES (1, ROW(1, 2), ARRAY[ROW(3, 4)::spot])`);
    await db.pool.query(`ALTER TABLE marker DROP COLUMN s, DROP COLUMN ss`);
    await install(db.pool, [await specOf('marker')]);
    await db.pool.query(`DROP TYPE spot`); // no CASCADE
    await db.pool.query(`INSERT INTO marker VALUES (2)`);
    expect((await db.pool.query(`SELECT id, s, ss FROM rowtrail.marker_history ORDER BY rowtrail_event_id`)).rows)
      .toEqual([{ id: 1, s: '(1,2)', ss: ['(3,4)'] }, { id: 2, s: null, ss: null }]);
  });

  it('retypes a composite history column of an earlier install to text in place, values kept', async () => {
    await db.pool.query(`CREATE TYPE box2 AS (w int, h int); CREATE TABLE crate (id int PRIMARY KEY, b box2, bs box2[], k known_addr)`);
    // as install --table recorded composites before: history columns of the types (made by hand, as the earlier install did)
    await install(db.pool, [await specOf('crate')]);
    await db.pool.query(`ALTER TABLE rowtrail.crate_history ALTER COLUMN b TYPE box2 USING b::box2, ALTER COLUMN bs TYPE box2[] USING bs::box2[],
      ALTER COLUMN k TYPE known_addr USING k::known_addr`);
    await db.pool.query(`INSERT INTO crate VALUES (1, ROW(1, 2), ARRAY[ROW(3, 4)::box2], ROW('Main St'))`);
    expect(await historyTypes('crate')).toEqual([{ name: 'id', type: 'integer' }, { name: 'b', type: 'box2' }, { name: 'bs', type: 'box2[]' }, { name: 'k', type: 'known_addr' }]);
    await install(db.pool, [await specOf('crate')]);
    expect(await historyTypes('crate')).toEqual([{ name: 'id', type: 'integer' }, { name: 'b', type: 'text' }, { name: 'bs', type: 'text[]' }, { name: 'k', type: 'text' }]);
    await db.pool.query(`UPDATE crate SET b = ROW(5, 6) WHERE id = 1`);
    expect((await db.pool.query(`SELECT b, bs, k FROM rowtrail.crate_history ORDER BY rowtrail_event_id`)).rows).toEqual([
      { b: '(1,2)', bs: ['(3,4)'], k: '("Main St")' }, { b: '(5,6)', bs: ['(3,4)'], k: '("Main St")' },
    ]);
    await db.pool.query(`ALTER TABLE crate DROP COLUMN b, DROP COLUMN bs`);
    await install(db.pool, [await specOf('crate')]);
    await db.pool.query(`DROP TYPE box2`);
  });

  it('accepts a composite column declared as its own type or as text, and refuses another composite or jsonb', async () => {
    await db.pool.query(`CREATE TYPE dims AS (w int, h int); CREATE TABLE parcel (id int PRIMARY KEY, d dims, ds dims[])`);
    const declared = async (d: string, ds: string) => {
      const client = await db.pool.connect();
      try {
        const spec = { ...await specOf('parcel'), columns: [{ name: 'id', type: 'integer' }, { name: 'd', type: d }, { name: 'ds', type: ds }] };
        return (await tableColumnMismatch(client, spec)).retyped.map((r) => r.name);
      } finally {
        client.release();
      }
    };
    expect(await declared('dims', 'dims[]')).toEqual([]);
    expect(await declared('text', 'text[]')).toEqual([]);
    expect(await declared('addr', 'jsonb')).toEqual(['d', 'ds']);
  });

  it('still tells a key change of the row as the statement left it (history compared with the row as text)', async () => {
    await db.pool.query(`CREATE TABLE head (id int PRIMARY KEY);
      CREATE TABLE item (head_id int REFERENCES head (id) ON UPDATE CASCADE, no int, c addr, qty int, PRIMARY KEY (head_id, no))`);
    await install(db.pool, [await specOf('head'), await specOf('item')]);
    await db.pool.query(`INSERT INTO head VALUES (1); INSERT INTO item VALUES (1, 1, ROW('Main St'), 1)`);
    // the update of qty is recorded after the cascade's key change of the same row: refused, as for any other column type
    await expect(db.pool.query(`WITH u AS (UPDATE item SET qty = 2 WHERE head_id = 1 RETURNING 1) UPDATE head SET id = 2 WHERE id = 1`))
      .rejects.toThrow(/^Rowtrail: update of tracked table public\.item refused/);
    await db.pool.query(`UPDATE head SET id = 2 WHERE id = 1`);
    await db.pool.query(`UPDATE item SET c = ROW('Side St') WHERE head_id = 2`);
    expect((await db.pool.query(`SELECT record_key, changes FROM rowtrail.event WHERE table_name = 'public.item' ORDER BY event_id`)).rows.map((r) => r.changes))
      .toEqual([{ head_id: 1, no: 1, c: { street: 'Main St' }, qty: 1 }, { head_id: [1, 2] }, { c: [{ street: 'Main St' }, { street: 'Side St' }] }]);
  });
});
