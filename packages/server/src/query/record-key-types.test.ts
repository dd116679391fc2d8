// Key columns of types the key check does not know (inet, an enum, citext…) are matched as their column's type: the
// value is read by PostgreSQL as that type, so another spelling of it finds the record ('::ffff:1.2.3.4/128' is the
// inet '::ffff:1.2.3.4'), and a value the type cannot read is refused naming the key field. A jsonb key takes any JSON
// value (an object, an array), compared as jsonb compares them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { prepareExport } from '../export/diff-export.js';
import { startServer, type RunningServer } from '../http/standalone-server.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { activityFeed } from './activity-feed.js';
import { compareVersions } from './compare-versions.js';
import { recordHistory } from './record-history.js';
import { recordStateAt } from './record-state.js';
import { recordingPool } from './recording-pool.test-support.js';

let db: TestDatabase;
let server: RunningServer;
const unexpected: unknown[] = [];
const spec = (table: string, primaryKey: string[], columns: TrackedTableSpec['columns']): TrackedTableSpec =>
  ({ schema: 'public', table, primaryKey, label: table, exclude: [], ignoreChanges: [], columns });
const JSON_KEY = { b: [1, 2], a: { x: 'y' } };

beforeAll(async () => {
  db = await createTestDatabase('record_key_types');
  await db.pool.query(`CREATE TYPE mood AS ENUM ('sad', 'happy');
    CREATE TABLE ikey (k inet PRIMARY KEY, v integer);
    CREATE TABLE jkey (k jsonb PRIMARY KEY, v integer);
    CREATE TABLE mkey (k mood, n integer, v integer, PRIMARY KEY (k, n))`);
  await install(db.pool, [
    spec('ikey', ['k'], [{ name: 'k', type: 'inet' }, { name: 'v', type: 'integer' }]),
    spec('jkey', ['k'], [{ name: 'k', type: 'jsonb' }, { name: 'v', type: 'integer' }]),
    spec('mkey', ['k', 'n'], [{ name: 'k', type: 'mood' }, { name: 'n', type: 'integer' }, { name: 'v', type: 'integer' }]),
  ]);
  await db.pool.query(`INSERT INTO ikey VALUES ('::ffff:1.2.3.4/128', 0), ('10.0.0.0/8', 0); UPDATE ikey SET v = 1;
    INSERT INTO jkey VALUES ('{"a": {"x": "y"}, "b": [1, 2]}', 0), ('"plain"', 0), ('[1.50]', 0), ('{"n": 9007199254740993}', 0), ('12345678901234567890', 0); UPDATE jkey SET v = 1;
    INSERT INTO mkey VALUES ('happy', 1, 0), ('sad', 1, 0); UPDATE mkey SET v = 1`);
  server = await startServer({ pool: db.pool, port: 0, token: 'record-key-types-token-01', onError: (error) => unexpected.push(error) });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const operations = async (table: string, key: Record<string, unknown>) =>
  (await recordHistory(db.pool, table, key, { order: 'asc' })).events.map((e) => e.operation);

const exported = async (selection: Parameters<typeof prepareExport>[1]) => {
  const chunks: string[] = [];
  for await (const chunk of (await prepareExport(db.pool, selection)).stream('ndjson')) chunks.push(String(chunk));
  const lines = chunks.join('').trim().split('\n').map((line) => JSON.parse(line));
  return { header: lines[0], events: lines.slice(1, -1) as Array<{ operation: string; recordKey: unknown }> };
};

const apiHistory = async (table: string, key: string) => {
  const response = await fetch(`${server.url}/api/history?table=${table}&key=${encodeURIComponent(key)}`, { headers: { authorization: `Bearer ${server.token}` } });
  const body = await response.json();
  return response.status === 200 ? (body.events as Array<{ operation: string }>).map((e) => e.operation) : { status: response.status, body };
};

describe('keys of other types are matched as their column\'s type', () => {
  it('finds an inet key however it is spelt', async () => {
    for (const k of ['::ffff:1.2.3.4/128', '::ffff:1.2.3.4', '::FFFF:1.2.3.4', '0:0:0:0:0:ffff:0102:0304']) {
      expect(await operations('ikey', { k })).toEqual(['INSERT', 'UPDATE']);
    }
    expect(await operations('ikey', { k: '10.0.0.0/8' })).toEqual(['INSERT', 'UPDATE']);
    expect(await operations('ikey', { k: '10.0.0.0' })).toEqual([]); // another inet: 10.0.0.0/32
    const [first, second] = (await recordHistory(db.pool, 'ikey', { k: '::ffff:1.2.3.4/128' }, { order: 'asc' })).events;
    expect(first.recordKey).toEqual({ k: '::ffff:1.2.3.4' });
    expect((await compareVersions(db.pool, 'ikey', { k: '::ffff:1.2.3.4/128' }, first.eventId, second.eventId)).changes).toEqual({ v: [0, 1] });
    expect((await recordStateAt(db.pool, 'ikey', { k: '::ffff:1.2.3.4/128' }, new Date())).event?.eventId).toBe(second.eventId);
    expect((await activityFeed(db.pool, { tables: ['ikey'], recordKey: { k: '::ffff:1.2.3.4/128' } })).events.map((e) => e.eventId)).toEqual([second.eventId, first.eventId]);
    const record = await exported({ kind: 'record', table: 'ikey', key: { k: '::ffff:1.2.3.4/128' } });
    expect(record.events.map((e) => e.operation)).toEqual(['INSERT', 'UPDATE']);
    expect(record.header.selection.key).toEqual({ k: '::ffff:1.2.3.4' }); // as the events' recordKey spells it
    expect(await apiHistory('ikey', '{"k":"::ffff:1.2.3.4/128"}')).toEqual(['UPDATE', 'INSERT']);
  });

  it('finds a key change away from an inet key however it is spelt (through the old key, as the capture wrote it)', async () => {
    await db.pool.query(`INSERT INTO ikey VALUES ('192.168.0.1/32', 0); UPDATE ikey SET k = '192.168.0.2' WHERE k = '192.168.0.1'`);
    const state = await recordStateAt(db.pool, 'ikey', { k: '192.168.0.1/32' }, new Date());
    expect([state.exists, state.event?.recordKey, state.event?.oldRecordKey]).toEqual([false, { k: '192.168.0.2' }, { k: '192.168.0.1' }]);
    const moved = (await recordHistory(db.pool, 'ikey', { k: '192.168.0.1/32' }, { movedAway: true, order: 'asc' })).events;
    expect(moved.map((e) => [e.operation, e.movedAway ?? false])).toEqual([['INSERT', false], ['UPDATE', true]]);
  });

  it('finds an enum key next to an integer one', async () => {
    expect(await operations('mkey', { k: 'happy', n: 1 })).toEqual(['INSERT', 'UPDATE']);
    expect(await operations('mkey', { k: 'sad', n: '1' })).toEqual(['INSERT', 'UPDATE']);
  });

  it('finds a key a jsonb column holds by its JSON value, in every lookup', async () => {
    expect(await operations('jkey', { k: JSON_KEY })).toEqual(['INSERT', 'UPDATE']);
    expect(await operations('jkey', { k: { a: { x: 'y' }, b: [1.0, 2] } })).toEqual(['INSERT', 'UPDATE']);
    expect(await operations('jkey', { k: { a: { x: 'y' } } })).toEqual([]);
    expect(await operations('jkey', { k: 'plain' })).toEqual(['INSERT', 'UPDATE']); // a JSON string
    expect(await operations('jkey', { k: ['1.5'] })).toEqual([]); // a string is no number
    expect(await operations('jkey', { k: [1.5] })).toEqual(['INSERT', 'UPDATE']);
    const history = (await recordHistory(db.pool, 'jkey', { k: JSON_KEY }, { order: 'asc' })).events;
    expect(history[0].recordKey).toEqual({ k: JSON_KEY });
    expect(await operations('jkey', history[0].recordKey)).toEqual(['INSERT', 'UPDATE']); // an event's key finds its record
    expect((await activityFeed(db.pool, { tables: ['jkey'], recordKey: { k: JSON_KEY } })).events.map((e) => e.eventId))
      .toEqual(history.map((e) => e.eventId).reverse());
    const record = await exported({ kind: 'record', table: 'jkey', key: { k: JSON_KEY } });
    expect(record.events.map((e) => e.operation)).toEqual(['INSERT', 'UPDATE']);
    expect(record.header.selection.key).toEqual({ k: JSON_KEY });
    const filtered = await exported({ kind: 'filter', filter: { tables: ['jkey'], recordKey: { k: JSON_KEY } } });
    expect(filtered.events.map((e) => e.recordKey)).toEqual([{ k: JSON_KEY }, { k: JSON_KEY }]);
    expect(await apiHistory('jkey', JSON.stringify({ k: JSON_KEY }))).toEqual(['UPDATE', 'INSERT']);
  });

  it('finds a jsonb key holding a number a double cannot hold, given as the API hands it out or as written', async () => {
    // the API gives such a number as a string of its digits (exact-json.ts): the key it hands out finds its record
    const keys = (await activityFeed(db.pool, { tables: ['jkey'], operations: ['INSERT'] })).events.map((e) => e.recordKey);
    expect(keys).toEqual(expect.arrayContaining([{ k: { n: '9007199254740993' } }, { k: '12345678901234567890' }]));
    expect(await operations('jkey', { k: { n: '9007199254740993' } })).toEqual(['INSERT', 'UPDATE']);
    expect(await operations('jkey', { k: '12345678901234567890' })).toEqual(['INSERT', 'UPDATE']);
    expect(await operations('jkey', { k: { n: 9007199254740993n } })).toEqual(['INSERT', 'UPDATE']);
    // over HTTP, written as numbers
    expect(await apiHistory('jkey', '{"k":{"n":9007199254740993}}')).toEqual(['UPDATE', 'INSERT']);
    expect(await apiHistory('jkey', '{"k":12345678901234567890}')).toEqual(['UPDATE', 'INSERT']);
    // a number a double holds stays a number: its string is another key
    expect(await operations('jkey', { k: ['1.5'] })).toEqual([]);
  });

  it('refuses a value the column\'s type cannot read, naming the key field', async () => {
    await expect(recordHistory(db.pool, 'ikey', { k: 'not-an-ip' })).rejects.toMatchObject({
      status: 400, parameter: 'key.k', message: 'key.k: must be a value of type inet, got "not-an-ip" (invalid input syntax for type inet)',
    });
    await expect(activityFeed(db.pool, { tables: ['mkey'], recordKey: { k: 'meh' } })).rejects.toMatchObject({
      status: 400, parameter: 'recordKey.k', message: expect.stringMatching(/^recordKey\.k: must be a value of type mood, got "meh"/),
    });
    await expect(prepareExport(db.pool, { kind: 'record', table: 'ikey', key: { k: '1.2.3.4.5' } })).rejects.toMatchObject({ status: 400, parameter: 'key.k' });
    // objects and arrays only for json and jsonb columns
    await expect(recordHistory(db.pool, 'ikey', { k: { a: 1 } })).rejects.toMatchObject({ status: 400, message: 'key.k: must be a string, number or boolean, got an object' });
    await expect(recordHistory(db.pool, 'jkey', { k: { a: '\u0000' } })).rejects.toMatchObject({ status: 400, parameter: 'key.k' });
    await expect(recordHistory(db.pool, 'jkey', { k: undefined })).rejects.toMatchObject({ status: 400, parameter: 'key.k' });
    const response = await apiHistory('ikey', '{"k":"not-an-ip"}');
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'invalid_parameter', parameter: 'key.k' } } });
    expect(unexpected).toEqual([]);
  });

  it('looks such keys up through the history table\'s key index', async () => {
    await db.pool.query(`INSERT INTO ikey SELECT ('10.1.' || (g / 250) || '.' || (g % 250))::inet, 0 FROM generate_series(1, 20000) g;
      INSERT INTO jkey SELECT jsonb_build_object('n', g), 0 FROM generate_series(1, 20000) g;
      ANALYZE rowtrail.ikey_history; ANALYZE rowtrail.jkey_history`);
    for (const [table, key] of [['ikey', { k: '10.1.3.7/32' }], ['jkey', { k: { n: 77 } }]] as const) {
      const { pool, sent } = recordingPool(db.pool);
      expect(await (async () => (await recordHistory(pool, table, key)).events.length)()).toBe(1);
      const lookup = sent.find((q) => q.text.includes('ORDER BY d.event_id'))!;
      const plan = (await db.pool.query(`EXPLAIN ${lookup.text}`, lookup.values)).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(new RegExp(`(Index (Only )?Scan( Backward)?|Bitmap Index Scan) (using|on) ${table}_history_key_\\w+`));
    }
  });
});
