import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDropCaptureDdl } from '../ddl/capture-ddl.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { prepareExport } from '../export/diff-export.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { activityFeed } from './activity-feed.js';
import { compareVersions } from './compare-versions.js';
import { recordHistory } from './record-history.js';
import { recordStateAt } from './record-state.js';
import { recordingPool } from './recording-pool.test-support.js';
import { REGISTRY_MAX_AGE_MS } from './tracked-table-registry.js';

// A record's events are found through the typed key index of its snapshot
// table (sql/000004 dropped the jsonb index on rowtrail.diff).
let db: TestDatabase;
const spec = (table: string, primaryKey: string[], columns: TrackedTableSpec['columns']): TrackedTableSpec =>
  ({ schema: 'public', table, primaryKey, label: table, exclude: [], ignoreChanges: [], columns });
const specs = [
  spec('by_int', ['id'], [{ name: 'id', type: 'integer' }, { name: 'v', type: 'integer' }]),
  spec('by_big', ['id'], [{ name: 'id', type: 'bigint' }, { name: 'v', type: 'integer' }]),
  spec('by_text', ['code'], [{ name: 'code', type: 'character varying' }, { name: 'v', type: 'integer' }]),
  spec('by_uuid', ['id'], [{ name: 'id', type: 'uuid' }, { name: 'v', type: 'integer' }]),
  spec('by_pair', ['hall', 'seat'], [{ name: 'hall', type: 'text' }, { name: 'seat', type: 'smallint' }, { name: 'v', type: 'integer' }]),
  spec('by_date', ['day'], [{ name: 'day', type: 'date' }, { name: 'v', type: 'integer' }]),
];
const UUID = '0190f3c6-5b4e-7c3a-9d2e-1a2b3c4d5e6f';

beforeAll(async () => {
  db = await createTestDatabase('record_lookup');
  await db.pool.query(`CREATE TABLE by_int (id integer PRIMARY KEY, v integer);
    CREATE TABLE by_big (id bigint PRIMARY KEY, v integer);
    CREATE TABLE by_text (code varchar(20) PRIMARY KEY, v integer);
    CREATE TABLE by_uuid (id uuid PRIMARY KEY, v integer);
    CREATE TABLE by_pair (hall text, seat smallint, v integer, PRIMARY KEY (hall, seat));
    CREATE TABLE by_date (day date PRIMARY KEY, v integer)`);
  await install(db.pool, specs);
  await db.pool.query(`INSERT INTO by_int SELECT g, 0 FROM generate_series(1, 50) g;
    INSERT INTO by_big VALUES (9007199254740993, 0), (1, 0);
    INSERT INTO by_text VALUES ('A-1', 0), ('a-1', 0);
    INSERT INTO by_uuid VALUES ('${UUID}', 0);
    INSERT INTO by_pair VALUES ('A', 1, 0), ('A', 2, 0), ('B', 1, 0);
    INSERT INTO by_date VALUES ('2026-11-22', 0);
    UPDATE by_int SET v = v + 1; UPDATE by_big SET v = v + 1; UPDATE by_text SET v = v + 1; UPDATE by_uuid SET v = v + 1;
    UPDATE by_pair SET v = v + 1; UPDATE by_date SET v = v + 1;
    UPDATE by_pair SET seat = 3 WHERE hall = 'A' AND seat = 2;
    DELETE FROM by_int WHERE id = 7`);
});
afterAll(() => db.drop());

const versions = async (table: string, key: Record<string, unknown>) =>
  (await recordHistory(db.pool, table, key, { order: 'asc' })).events.map((e) => [e.operation, e.recordKey]);

describe('record lookups through the snapshot key', () => {
  it('finds exactly the record\'s versions for keys of every common type', async () => {
    expect(await versions('by_int', { id: 7 })).toEqual([['INSERT', { id: 7 }], ['UPDATE', { id: 7 }], ['DELETE', { id: 7 }]]);
    expect(await versions('by_int', { id: '007' })).toHaveLength(3);
    expect(await versions('by_big', { id: '9007199254740993' })).toEqual([['INSERT', { id: '9007199254740993' }], ['UPDATE', { id: '9007199254740993' }]]);
    expect(await versions('by_big', { id: 9007199254740993n })).toEqual([['INSERT', { id: '9007199254740993' }], ['UPDATE', { id: '9007199254740993' }]]);
    // a double cannot be that key (it arrives as …992): refused, not silently another key
    await expect(recordHistory(db.pool, 'by_big', { id: 9007199254740993 })).rejects.toMatchObject({ status: 400, parameter: 'key.id', message: expect.stringMatching(/^key\.id: 9007199254740992 is beyond the integers a JavaScript number holds exactly .*give the key as a string of its digits/) });
    expect(await versions('by_text', { code: 'a-1' })).toEqual([['INSERT', { code: 'a-1' }], ['UPDATE', { code: 'a-1' }]]);
    expect(await versions('by_uuid', { id: UUID })).toHaveLength(2);
    expect(await versions('by_uuid', { id: UUID.toUpperCase() })).toHaveLength(2); // compared as uuid
    expect(await versions('by_pair', { hall: 'A', seat: 1 })).toHaveLength(2);
    // a key change appears under the new key
    expect(await versions('by_pair', { hall: 'A', seat: 3 })).toEqual([['UPDATE', { hall: 'A', seat: 3 }]]);
    expect(await versions('by_date', { day: '2026-11-22' })).toHaveLength(2);
  });

  it('finds records whose numeric key has more digits than a bigint', async () => {
    await db.pool.query(`CREATE TABLE by_wide (id numeric(39,0) PRIMARY KEY, v integer)`);
    await install(db.pool, [spec('by_wide', ['id'], [{ name: 'id', type: 'numeric(39,0)' }, { name: 'v', type: 'integer' }])]);
    const id = '170141183460469231731687303715884105727';
    await db.pool.query(`INSERT INTO by_wide VALUES (${id}, 0); UPDATE by_wide SET v = 1`);
    expect(await versions('by_wide', { id })).toEqual([['INSERT', { id }], ['UPDATE', { id }]]);
    expect(await versions('by_wide', { id: `${id}.000` })).toHaveLength(2);
  });

  it('finds a timestamptz-keyed record written from sessions in different time zones, given any offset', async () => {
    await db.pool.query(`CREATE TABLE by_time (at timestamptz PRIMARY KEY, v text)`);
    await install(db.pool, [spec('by_time', ['at'], [{ name: 'at', type: 'timestamp with time zone' }, { name: 'v', type: 'text' }])]);
    const client = await db.pool.connect();
    try {
      await client.query(`SET TimeZone = 'UTC'`);
      await client.query(`INSERT INTO by_time VALUES ('2024-05-01 12:00:00+00', 'x')`);
      await client.query(`SET TimeZone = 'Europe/Berlin'`);
      await client.query(`UPDATE by_time SET v = 'y'`);
    } finally {
      await client.query('RESET TimeZone');
      client.release();
    }
    // the jsonb keys the two sessions wrote differ (+00:00 and +02:00); the record is one
    for (const at of ['2024-05-01T12:00:00+00:00', '2024-05-01T14:00:00+02:00', '2024-05-01T12:00:00Z', '2024-05-01 08:00-04']) {
      expect((await versions('by_time', { at })).map((v) => v[0])).toEqual(['INSERT', 'UPDATE']);
    }
    expect((await versions('by_time', { at: '2024-05-01T12:00:00' })).map((v) => v[0])).toEqual(['INSERT', 'UPDATE']); // no zone: UTC
    expect(await versions('by_time', { at: '2024-05-01T12:00:01Z' })).toEqual([]);
    expect(await versions('by_time', { at: '2024-05-01Z' })).toEqual([]); // midnight UTC: another instant, no error
    // a date key given with a zone is matched as written (dates keep no zone)
    expect(await versions('by_date', { day: '2026-11-22+02' })).toEqual([]);
    expect(await versions('by_time', { at: '2024-02-30T12:00:00Z' })).toEqual([]); // no such day: no record, no error
    expect(await versions('by_time', { at: '2024-05-01T12:00:00+16:00' })).toEqual([]); // beyond PostgreSQL's zones: no record, no error
    expect(await versions('by_time', { at: '2024-05-01T12:00:00-16' })).toEqual([]);
    expect(await versions('by_time', { at: '2024-05-01T21:59:00+15:59' })).toEqual([]); // the widest zone PostgreSQL reads
    // a Date names the instant: the same record; a date column holds no instant, so a Date there is refused
    expect((await versions('by_time', { at: new Date('2024-05-01T14:00:00+02:00') })).map((v) => v[0])).toEqual(['INSERT', 'UPDATE']);
    await expect(recordHistory(db.pool, 'by_date', { day: new Date('2026-11-22') })).rejects.toMatchObject({ status: 400, parameter: 'key.day', message: 'key.day: is a Date, which names an instant, but the column is date: give its value as a string such as "2024-05-01T12:00:00"' });
    await expect(recordHistory(db.pool, 'by_time', { at: new Date('garbage') })).rejects.toMatchObject({ status: 400, message: 'key.at: is an invalid Date' });
    // next to a key column without a typed comparison (boolean), too
    await db.pool.query(`CREATE TABLE by_time_flag (at timestamptz, flag boolean, v text, PRIMARY KEY (at, flag))`);
    await install(db.pool, [spec('by_time_flag', ['at', 'flag'], [{ name: 'at', type: 'timestamp with time zone' }, { name: 'flag', type: 'boolean' }, { name: 'v', type: 'text' }])]);
    await db.pool.query(`SET TimeZone = 'UTC'; INSERT INTO by_time_flag VALUES ('2024-05-01 12:00:00+00', true, 'x'), ('2024-05-01 12:00:00+00', false, 'x');
      SET TimeZone = 'Asia/Tokyo'; UPDATE by_time_flag SET v = 'y' WHERE flag; RESET TimeZone`);
    expect((await versions('by_time_flag', { at: '2024-05-01T21:00:00+09:00', flag: true })).map((v) => v[0])).toEqual(['INSERT', 'UPDATE']);
    expect((await versions('by_time_flag', { at: '2024-05-01T12:00:00Z', flag: false })).map((v) => v[0])).toEqual(['INSERT']);
    const state = await recordStateAt(db.pool, 'by_time', { at: '2024-05-01T12:00:00Z' }, new Date('2030-01-01'));
    expect(state.exists && state.event?.snapshot.v).toBe('y');
  });

  it('a key no row of that type can have finds nothing instead of failing', async () => {
    for (const key of [{ id: 1.5 }, { id: '99999999999' }, { id: -1 }]) expect(await versions('by_int', key)).toEqual([]);
    expect(await versions('by_big', { id: '9223372036854775808' })).toEqual([]);
    expect(await versions('by_uuid', { id: 'not-a-uuid' })).toEqual([]);
    expect(await versions('by_pair', { hall: 'A', seat: 40000 })).toEqual([]);
    expect(await versions('by_text', { code: 'A-2' })).toEqual([]);
    // decimal texts beyond a float key's range, or so small PostgreSQL refuses to round them to zero
    await db.pool.query(`CREATE TABLE by_float (id float8 PRIMARY KEY, v integer); CREATE TABLE by_real (id real PRIMARY KEY, v integer)`);
    await install(db.pool, [spec('by_float', ['id'], [{ name: 'id', type: 'double precision' }, { name: 'v', type: 'integer' }]), spec('by_real', ['id'], [{ name: 'id', type: 'real' }, { name: 'v', type: 'integer' }])]);
    await db.pool.query(`INSERT INTO by_float VALUES (0.5, 0), (0, 0); INSERT INTO by_real VALUES (0.5, 0), (0, 0)`);
    for (const id of [`1${'0'.repeat(400)}`, `0.${'0'.repeat(400)}1`]) expect(await versions('by_float', { id })).toEqual([]);
    for (const id of [`4${'0'.repeat(38)}`, `0.${'0'.repeat(50)}1`]) expect(await versions('by_real', { id })).toEqual([]);
    for (const table of ['by_float', 'by_real']) {
      expect(await versions(table, { id: '0.5' })).toHaveLength(1);
      expect(await versions(table, { id: '0.000' })).toHaveLength(1);
    }
  });

  it('matches integer keys written with a zero fraction, and char(n) keys with or without their padding', async () => {
    expect(await versions('by_int', { id: '7.0' })).toHaveLength(3);
    expect(await versions('by_int', { id: 7.5 })).toEqual([]);
    await db.pool.query(`CREATE TABLE by_char (code char(4) PRIMARY KEY, v integer)`);
    await install(db.pool, [spec('by_char', ['code'], [{ name: 'code', type: 'character(4)' }, { name: 'v', type: 'integer' }])]);
    await db.pool.query(`INSERT INTO by_char VALUES ('ab', 0); UPDATE by_char SET v = 1`);
    const [first] = (await recordHistory(db.pool, 'by_char', { code: 'ab' }, { order: 'asc' })).events;
    expect(first.recordKey).toEqual({ code: 'ab  ' }); // the key as the trigger wrote it, padded
    expect(await versions('by_char', first.recordKey)).toHaveLength(2); // the dashboard links with that key
    expect(await versions('by_char', { code: 'ab' })).toHaveLength(2);
  });

  it('keys of sized types (varchar(n), numeric(p,s)) are compared in their own type, through the key index', async () => {
    await db.pool.query(`CREATE TABLE by_sized (code varchar(40), amount numeric(10,2), v integer, PRIMARY KEY (code, amount))`);
    await install(db.pool, [spec('by_sized', ['code', 'amount'], [{ name: 'code', type: 'character varying(40)' }, { name: 'amount', type: 'numeric(10,2)' }, { name: 'v', type: 'integer' }])]);
    await db.pool.query(`INSERT INTO by_sized VALUES ('x', 1.50, 0); UPDATE by_sized SET v = 1`);
    const { pool, sent } = recordingPool(db.pool);
    expect((await recordHistory(pool, 'by_sized', { code: 'x', amount: '1.5' })).events).toHaveLength(2);
    const lookup = sent.find((q) => !q.text.includes('.tracked_table'))!;
    expect(lookup.text.slice(lookup.text.lastIndexOf('WHERE'))).not.toContain('rowtrail_record_key');
  });

  it('keeps finding the versions written before a key column changed type', async () => {
    await db.pool.query(`CREATE TABLE by_retyped (id integer PRIMARY KEY, v integer)`);
    const retyped = (type: string) => spec('by_retyped', ['id'], [{ name: 'id', type }, { name: 'v', type: 'integer' }]);
    await install(db.pool, [retyped('integer')]);
    await db.pool.query(`INSERT INTO by_retyped VALUES (5, 0)`);
    for (const sql of buildDropCaptureDdl({ schema: 'public', table: 'by_retyped' })) await db.pool.query(sql); // as a generated migration does
    await db.pool.query(`ALTER TABLE by_retyped ALTER COLUMN id TYPE bigint`);
    await install(db.pool, [retyped('bigint')]);
    await db.pool.query(`UPDATE by_retyped SET v = 1 WHERE id = 5`);
    await new Promise((r) => setTimeout(r, REGISTRY_MAX_AGE_MS + 10)); // a cached registry may be a second old
    expect(await versions('by_retyped', { id: 5 })).toEqual([['INSERT', { id: 5 }], ['UPDATE', { id: 5 }]]);
  });

  it('state, comparison, feed filter and export find the same versions', async () => {
    const history = (await recordHistory(db.pool, 'by_int', { id: 3 }, { order: 'asc' })).events;
    expect(history.map((e) => e.operation)).toEqual(['INSERT', 'UPDATE']);
    expect((await recordStateAt(db.pool, 'by_int', { id: 3 }, new Date())).event?.eventId).toBe(history[1].eventId);
    expect((await compareVersions(db.pool, 'by_int', { id: 3 }, history[0].eventId, history[1].eventId)).changes).toEqual({ v: [0, 1] });
    expect((await activityFeed(db.pool, { tables: ['by_int'], recordKey: { id: 3 } })).events.map((e) => e.eventId)).toEqual([history[1].eventId, history[0].eventId]);
    const exported = await prepareExport(db.pool, { kind: 'record', table: 'by_int', key: { id: 3 } });
    const chunks: string[] = [];
    for await (const chunk of exported.stream('ndjson')) chunks.push(String(chunk));
    expect(chunks.join('').trim().split('\n').slice(1, -1).map((line) => JSON.parse(line).eventId)).toEqual(history.map((e) => e.eventId));
  });

  it('reads only one page of a record with thousands of versions', async () => {
    await db.pool.query(`DO $$ BEGIN FOR i IN 1..3000 LOOP UPDATE by_int SET v = v + 1 WHERE id = 2; END LOOP; END $$`);
    await db.pool.query('ANALYZE rowtrail.by_int_history');
    const { pool, sent } = recordingPool(db.pool);
    const page = await recordHistory(pool, 'by_int', { id: 2 }, { limit: 20 });
    expect(page.events).toHaveLength(20);
    const lookup = sent.find((q) => !q.text.includes('.tracked_table'))!;
    const plan = (await db.pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${lookup.text}`, lookup.values)).rows[0]['QUERY PLAN'];
    const snapshotRowsRead = (node: { 'Relation Name'?: string; 'Actual Rows'?: number; Plans?: unknown[] }): number =>
      (node['Relation Name'] === 'by_int_history' ? node['Actual Rows'] ?? 0 : 0) + (node.Plans ?? []).reduce<number>((n, p) => n + snapshotRowsRead(p as never), 0);
    expect(snapshotRowsRead(plan[0].Plan)).toBeLessThanOrEqual(21); // the page plus one, not all 3,002 versions
  });

  it('the queries use the snapshot table\'s key index', async () => {
    const { pool, sent } = recordingPool(db.pool);
    await recordHistory(pool, 'by_pair', { hall: 'A', seat: 1 });
    await recordStateAt(pool, 'by_big', { id: 1 }, new Date());
    await activityFeed(pool, { tables: ['by_text'], recordKey: { code: 'A-1' } });
    // the record's state also asks whether its key changed away since (through the old-key index); the feed's whole key
    // selects the record's key changes away too (d.table_name: a feed's condition), beside its versions
    const keyChanges = sent.filter((q) => q.text.includes('rowtrail_old_record_key = ') && !q.text.includes('d.table_name ='));
    const lookups = sent.filter((q) => !q.text.includes('.tracked_table') && !keyChanges.includes(q));
    expect([lookups.length, keyChanges.length]).toEqual([3, 1]);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off'); // the tables are tiny: ask whether the index can be used at all
      for (const q of lookups) {
        const plan = (await client.query(`EXPLAIN ${q.text}`, q.values)).rows.map((r) => r['QUERY PLAN']).join('\n');
        expect(plan).toMatch(/(Index (Only )?Scan( Backward)?|Bitmap Index Scan) (using|on) (by_pair|by_big|by_text)_history_key_\w+/);
      }
      const plan = (await client.query(`EXPLAIN ${keyChanges[0].text}`, keyChanges[0].values)).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/(Index (Only )?Scan( Backward)?|Bitmap Index Scan) (using|on) by_big_history_old_key_idx/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
