import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { install } from './installer.js';

let db: TestDatabase;
const spec: TrackedTableSpec = {
  schema: 'public', table: 'gadget', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [
    { name: 'id', type: 'integer' }, { name: 'flags', type: 'bit(8)' }, { name: 'price', type: 'numeric(6,2)' },
    { name: 'code', type: 'character(3)' }, { name: 'title', type: 'character varying(5)' }, { name: 'doc', type: 'json' },
    { name: 'spot', type: 'point' }, { name: 'tags', type: 'text[]' }, { name: 'at', type: 'timestamp(0) without time zone' },
    { name: 'cost$$', type: 'integer' }, { name: `we"ird'na$'me`, type: 'text' },
  ],
};

const person: TrackedTableSpec = {
  schema: 'public', table: 'person', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'email', type: 'citext' }, { name: 'name', type: 'text' }, { name: 'tags', type: 'hstore' }],
};

const plan: TrackedTableSpec = {
  schema: 'public', table: 'plan', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'period', type: 'interval' }, { name: 'steps', type: 'interval[]' }],
};

beforeAll(async () => {
  db = await createTestDatabase('capture_types');
  await db.pool.query(`CREATE TABLE gadget (id int PRIMARY KEY, flags bit(8), price numeric(6,2), code char(3), title varchar(5), doc json,
    spot point, tags text[], at timestamp(0), "cost$$" int, "we""ird'na$'me" text)`);
  await db.pool.query(`CREATE EXTENSION citext`);
  await db.pool.query(`CREATE EXTENSION hstore`);
  await db.pool.query(`CREATE COLLATION case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`);
  await db.pool.query(`CREATE TABLE person (id int PRIMARY KEY, email citext, name text COLLATE case_insensitive, tags hstore)`);
  await db.pool.query(`CREATE TABLE plan (id int PRIMARY KEY, period interval, steps interval[])`);
  await install(db.pool, [spec, person, plan]);
});
afterAll(() => db.drop());

const changesOf = async (sql: string) => {
  const { rows: [{ mark }] } = await db.pool.query(`SELECT coalesce(max(event_id), 0) AS mark FROM rowtrail.event`);
  await db.pool.query(sql);
  return (await db.pool.query(`SELECT operation, changes FROM rowtrail.event WHERE event_id > $1 ORDER BY event_id`, [mark])).rows;
};

describe('column types', () => {
  it('captures types without equality operators, sized types and odd column names', async () => {
    expect(await changesOf(`INSERT INTO gadget VALUES (1, B'10100000', 12.5, 'ab', 'hey', '{"a": 1}', '(1,2)', '{x,y}', '2026-01-01 10:00', 1, 'q')`)).toEqual([
      { operation: 'INSERT', changes: { id: 1, flags: '10100000', price: 12.5, code: 'ab ', title: 'hey', doc: { a: 1 }, spot: '(1,2)', tags: ['x', 'y'], at: '2026-01-01T10:00:00', 'cost$$': 1, [`we"ird'na$'me`]: 'q' } },
    ]);
    expect(await changesOf(`UPDATE gadget SET doc = '{"a": 1}', spot = '(1,2)'`)).toEqual([]); // same values: no event
    expect(await changesOf(`UPDATE gadget SET doc = '{"a": 2}', spot = '(3,4)', "cost$$" = 2, "we""ird'na$'me" = 'r'`)).toEqual([
      { operation: 'UPDATE', changes: { doc: [{ a: 1 }, { a: 2 }], spot: ['(1,2)', '(3,4)'], 'cost$$': [1, 2], [`we"ird'na$'me`]: ['q', 'r'] } },
    ]);
  });

  it('keeps history writable after the source column is widened (snapshot types have no size limits)', async () => {
    await db.pool.query(`ALTER TABLE gadget ALTER COLUMN price TYPE numeric(12,2), ALTER COLUMN title TYPE varchar(50), ALTER COLUMN flags TYPE bit(16) USING flags || B'00000000'`);
    const rows = await changesOf(`UPDATE gadget SET price = 1234567.89, title = 'a much longer title', flags = B'1111000011110000'`);
    expect(rows[0].changes).toEqual({ price: [12.5, 1234567.89], title: ['hey', 'a much longer title'], flags: ['1010000000000000', '1111000011110000'] });
    const snapshot = await db.pool.query(`SELECT price::text, title FROM rowtrail.gadget_history ORDER BY rowtrail_event_id DESC LIMIT 1`);
    expect(snapshot.rows[0]).toEqual({ price: '1234567.89', title: 'a much longer title' });
  });

  it('records changes the column type\'s own equality cannot see: case in citext and in a case-insensitive collation', async () => {
    await db.pool.query(`INSERT INTO person VALUES (1, 'Alice@Example.com', 'Alice')`);
    expect(await changesOf(`UPDATE person SET email = 'alice@example.com', name = 'ALICE'`)).toEqual([
      { operation: 'UPDATE', changes: { email: ['Alice@Example.com', 'alice@example.com'], name: ['Alice', 'ALICE'] } },
    ]);
    expect(await changesOf(`UPDATE person SET email = 'alice@example.com'`)).toEqual([]); // the same bytes: no event
  });

  it('records an interval changed to a value its "=" calls equal but date arithmetic does not (1 mon to 30 days)', async () => {
    await db.pool.query(`INSERT INTO plan VALUES (1, '1 mon', '{1 day}')`);
    expect(await changesOf(`UPDATE plan SET period = '30 days', steps = '{24 hours}'`)).toEqual([
      { operation: 'UPDATE', changes: { period: ['1 mon', '30 days'], steps: [['1 day'], ['24:00:00']] } },
    ]);
    // a bulk update (the join path) compares them the same way
    await db.pool.query(`INSERT INTO plan VALUES (2, '1 day', '{}')`);
    expect(await changesOf(`UPDATE plan SET period = CASE id WHEN 1 THEN interval '1 mon' ELSE interval '24 hours' END`)).toEqual([
      { operation: 'UPDATE', changes: { period: ['30 days', '1 mon'] } },
      { operation: 'UPDATE', changes: { period: ['1 day', '24:00:00'] } },
    ]);
    expect(await changesOf(`UPDATE plan SET period = interval '1 month' WHERE id = 1`)).toEqual([]); // the same value: no event
  });

  it('records backslashes in a label and a column name as they are, also from a session with standard_conforming_strings off', async () => {
    // the capture's body is parsed in the writer's session: a plain '…' literal read C:\temp as C:<tab>emp there
    const folder: TrackedTableSpec = {
      schema: 'public', table: 'folder', primaryKey: ['id'], label: 'C:\\temp', exclude: [], ignoreChanges: [],
      columns: [{ name: 'id', type: 'integer' }, { name: 'a\\nb', type: 'text' }],
    };
    await db.pool.query(`CREATE TABLE folder (id int PRIMARY KEY, "a\\nb" text)`);
    await install(db.pool, [folder]);
    for (const setting of ['off', 'on']) {
      // a session of its own for each: a session parses a function's statements once, when it first runs them
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        await client.query(`SET standard_conforming_strings = ${setting}`);
        await client.query(`SET escape_string_warning = off`);
        await client.query(`DELETE FROM folder`);
        await client.query(`INSERT INTO folder VALUES (1, 'x')`);
      } finally {
        await client.end();
      }
      const { rows } = await db.pool.query(`SELECT label, changes FROM rowtrail.event WHERE table_name = 'public.folder' AND operation = 'INSERT' ORDER BY event_id DESC LIMIT 1`);
      expect(rows, setting).toEqual([{ label: 'C:\\temp', changes: { id: 1, 'a\\nb': 'x' } }]);
    }
  });

  it('captures writes from a session whose search_path lacks the schema of extension types (casts, equality operators)', async () => {
    const client = await db.pool.connect();
    try {
      await client.query(`SET search_path = ''`);
      await client.query(`UPDATE public.person SET email = 'bob@example.com', tags = 'team=>ops' WHERE id = 1`);
      await client.query(`INSERT INTO public.person VALUES (2, 'Carol@example.com', 'Carol', 'team=>dev')`);
    } finally {
      await client.query('RESET search_path');
      client.release();
    }
    const { rows } = await db.pool.query(`SELECT operation, changes FROM rowtrail.event WHERE table_name = 'public.person' ORDER BY event_id DESC LIMIT 2`);
    expect(rows).toEqual([
      { operation: 'INSERT', changes: { id: 2, email: 'Carol@example.com', name: 'Carol', tags: { team: 'dev' } } },
      { operation: 'UPDATE', changes: { email: ['alice@example.com', 'bob@example.com'], tags: [null, { team: 'ops' }] } },
    ]);
  });
});
