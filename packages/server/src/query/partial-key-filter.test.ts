import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDropCaptureDdl } from '../ddl/capture-ddl.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { prepareExport } from '../export/diff-export.js';
import { startServer } from '../http/standalone-server.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { activityBuckets } from './activity-buckets.js';
import { activityFeed } from './activity-feed.js';
import { recordHistory } from './record-history.js';
import { recordingPool } from './recording-pool.test-support.js';
import { REGISTRY_MAX_AGE_MS } from './tracked-table-registry.js';

// A feed filter's recordKey may name some of a composite key's columns: every link of one article in a join table.
let db: TestDatabase;
const spec = (table: string, primaryKey: string[], columns: TrackedTableSpec['columns']): TrackedTableSpec =>
  ({ schema: 'public', table, primaryKey, label: table, exclude: [], ignoreChanges: [], columns });
const articleTags = spec('article_tags', ['article_id', 'tag_id'], [{ name: 'article_id', type: 'integer' }, { name: 'tag_id', type: 'integer' }]);

beforeAll(async () => {
  db = await createTestDatabase('partial_key_filter');
  await db.pool.query(`CREATE TABLE article_tags (article_id integer, tag_id integer, PRIMARY KEY (article_id, tag_id))`);
  await install(db.pool, [articleTags]);
  await db.pool.query(`INSERT INTO article_tags VALUES (5, 1), (5, 2), (6, 2), (7, 1);
    DELETE FROM article_tags WHERE article_id = 5 AND tag_id = 1;
    UPDATE article_tags SET tag_id = 3 WHERE article_id = 6`);
});
afterAll(() => db.drop());

type Link = [string, Record<string, unknown>];
const links = async (recordKey: Record<string, unknown>, table = 'article_tags'): Promise<Link[]> =>
  (await activityFeed(db.pool, { tables: [table], recordKey })).events.map((e) => [e.operation, e.recordKey]).reverse() as Link[];

describe('a feed filter on some columns of a composite key', () => {
  it('lists the events of every record whose key has the values given, by a leading or a later key column', async () => {
    expect(await links({ article_id: 5 })).toEqual([['INSERT', { article_id: 5, tag_id: 1 }], ['INSERT', { article_id: 5, tag_id: 2 }], ['DELETE', { article_id: 5, tag_id: 1 }]]);
    // a link moved to another tag is found under its new key, and under the old one, from which it was removed
    expect(await links({ tag_id: 2 })).toEqual([['INSERT', { article_id: 5, tag_id: 2 }], ['INSERT', { article_id: 6, tag_id: 2 }], ['UPDATE', { article_id: 6, tag_id: 3 }]]);
    expect(await links({ tag_id: 3 })).toEqual([['UPDATE', { article_id: 6, tag_id: 3 }]]);
    // the whole key selects one record's versions, as its history does in the HTTP API and the dashboard: with the
    // key change that moved it away (under its new key), so the record is not shown as if it still had the key
    expect(await links({ article_id: 6, tag_id: 2 })).toEqual([['INSERT', { article_id: 6, tag_id: 2 }], ['UPDATE', { article_id: 6, tag_id: 3 }]]);
    expect(await links({ article_id: 6, tag_id: 3 })).toEqual([['UPDATE', { article_id: 6, tag_id: 3 }]]);
    expect(await links({ article_id: '007' })).toEqual([['INSERT', { article_id: 7, tag_id: 1 }]]);
    // the whole key is one record, as before; a value no row can hold finds nothing
    expect(await links({ article_id: 5, tag_id: 1 })).toEqual([['INSERT', { article_id: 5, tag_id: 1 }], ['DELETE', { article_id: 5, tag_id: 1 }]]);
    expect(await links({ article_id: 1.5 })).toEqual([]);
  });

  it('activity buckets and a filtered export select the same events', async () => {
    const { buckets } = await activityBuckets(db.pool, { tables: ['article_tags'], recordKey: { article_id: 5 } });
    expect(buckets.reduce((n, b) => n + b.INSERT + b.UPDATE + b.DELETE, 0)).toBe(3);
    const moved = await activityBuckets(db.pool, { tables: ['article_tags'], recordKey: { tag_id: 2 } });
    expect(moved.buckets.reduce((n, b) => n + b.INSERT + b.UPDATE + b.DELETE, 0)).toBe(3);
    const exported = await prepareExport(db.pool, { kind: 'filter', filter: { tables: ['article_tags'], recordKey: { article_id: 5 } } });
    expect(await exported.count()).toBe(3);
    const lines: string[] = [];
    for await (const chunk of exported.stream('ndjson')) lines.push(String(chunk));
    expect(lines.join('').trim().split('\n').slice(1, -1).map((line) => JSON.parse(line).recordKey.article_id)).toEqual([5, 5, 5]);
  });

  it('is a filter of the HTTP API too', async () => {
    const server = await startServer({ pool: db.pool, port: 0 });
    try {
      const query = new URLSearchParams({ table: 'article_tags', recordKey: '{"tag_id": 2}' });
      const response = await fetch(`${server.url}/api/events?${query}`, { headers: { authorization: `Bearer ${server.token}` } });
      expect(response.status).toBe(200);
      const { events } = await response.json() as { events: Array<{ recordKey: unknown }> };
      expect(events.map((e) => e.recordKey)).toEqual([{ article_id: 6, tag_id: 3 }, { article_id: 6, tag_id: 2 }, { article_id: 5, tag_id: 2 }]);
      const empty = await fetch(`${server.url}/api/events?${new URLSearchParams({ table: 'article_tags', recordKey: '{}' })}`, { headers: { authorization: `Bearer ${server.token}` } });
      expect(empty.status).toBe(400);
      expect((await empty.json()).error).toMatchObject({ parameter: 'recordKey', message: expect.stringMatching(/^recordKey: names no column/) });
    } finally {
      await server.close();
    }
  });

  it('refuses a key naming no column or another column, and a record\'s history still needs the whole key', async () => {
    await expect(activityFeed(db.pool, { tables: ['article_tags'], recordKey: {} })).rejects.toMatchObject({
      status: 400, parameter: 'recordKey', message: 'recordKey: names no column: give one or more primary-key columns of public.article_tags (article_id, tag_id)',
    });
    await expect(activityFeed(db.pool, { tables: ['article_tags'], recordKey: { article: 5 } })).rejects.toMatchObject({
      status: 400, parameter: 'recordKey', message: expect.stringMatching(/^recordKey: "article" is not a primary-key column of public\.article_tags/),
    });
    await expect(recordHistory(db.pool, 'article_tags', { article_id: 5 })).rejects.toMatchObject({ status: 400, message: 'key: missing primary-key column "tag_id" of public.article_tags (one record needs its whole key; a filter\'s recordKey may name part of it)' });
  });

  it('the leading key column is looked up through the snapshot table\'s key index', async () => {
    const { pool, sent } = recordingPool(db.pool);
    await activityFeed(pool, { tables: ['article_tags'], recordKey: { article_id: 5 } });
    const lookup = sent.find((q) => !q.text.includes('.tracked_table'))!;
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off'); // the table is tiny: ask whether the index can be used at all
      const plan = (await client.query(`EXPLAIN ${lookup.text}`, lookup.values)).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/(Index (Only )?Scan( Backward)?|Bitmap Index Scan) (using|on) article_tags_history_key_\w+/);
      // the record's ids are read first and looked up by id: a semi-join could walk the table's events from the newest
      expect(plan).toMatch(/InitPlan/);
      expect(plan).not.toMatch(/Semi Join/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('matches through the jsonb key after a key column changed type', async () => {
    await db.pool.query(`CREATE TABLE role_grants (user_id integer, role_id integer, PRIMARY KEY (user_id, role_id))`);
    const grants = (type: string) => spec('role_grants', ['user_id', 'role_id'], [{ name: 'user_id', type }, { name: 'role_id', type: 'integer' }]);
    await install(db.pool, [grants('integer')]);
    await db.pool.query(`INSERT INTO role_grants VALUES (1, 10), (1, 11), (2, 10)`);
    for (const sql of buildDropCaptureDdl({ schema: 'public', table: 'role_grants' })) await db.pool.query(sql); // as a generated migration does
    await db.pool.query(`ALTER TABLE role_grants ALTER COLUMN user_id TYPE bigint`);
    await install(db.pool, [grants('bigint')]);
    await db.pool.query(`DELETE FROM role_grants WHERE user_id = 1 AND role_id = 11`);
    await new Promise((r) => setTimeout(r, REGISTRY_MAX_AGE_MS + 10)); // a cached registry may be a second old
    expect(await links({ user_id: 1 }, 'role_grants')).toEqual([['INSERT', { user_id: 1, role_id: 10 }], ['INSERT', { user_id: 1, role_id: 11 }], ['DELETE', { user_id: 1, role_id: 11 }]]);
    expect(await links({ role_id: '10' }, 'role_grants')).toEqual([['INSERT', { user_id: 1, role_id: 10 }], ['INSERT', { user_id: 2, role_id: 10 }]]);
  });

  it('after a retype, compares key values through the jsonb key as the typed comparison does: instants, padding, uuid case', async () => {
    const guest = '0190f3c6-5b4e-7c3a-9d2e-1a2b3c4d5e6f';
    await db.pool.query(`CREATE TABLE booking (at timestamptz, room char(4), guest uuid, seat integer, v text, PRIMARY KEY (at, room, guest, seat))`);
    const booking = (seat: string) => spec('booking', ['at', 'room', 'guest', 'seat'], [{ name: 'at', type: 'timestamp with time zone' },
      { name: 'room', type: 'character(4)' }, { name: 'guest', type: 'uuid' }, { name: 'seat', type: seat }, { name: 'v', type: 'text' }]);
    await install(db.pool, [booking('integer')]);
    // written from a session in Berlin: the trigger's jsonb key says 12:00:00+02:00
    await db.pool.query(`SET TimeZone = 'Europe/Berlin'; INSERT INTO booking VALUES ('2024-05-01 10:00:00+00', 'A1', '${guest}', 1, 'x'); RESET TimeZone`);
    for (const sql of buildDropCaptureDdl({ schema: 'public', table: 'booking' })) await db.pool.query(sql);
    await db.pool.query(`ALTER TABLE booking ALTER COLUMN seat TYPE bigint`);
    await install(db.pool, [booking('bigint')]);
    await new Promise((r) => setTimeout(r, REGISTRY_MAX_AGE_MS + 10));
    const key = { at: '2024-05-01T10:00:00Z', room: 'A1', guest: guest.toUpperCase(), seat: 1 };
    expect((await recordHistory(db.pool, 'booking', key)).events.map((e) => e.operation)).toEqual(['INSERT']);
    for (const part of [{ at: key.at }, { at: '2024-05-01 06:00-04' }, { room: 'A1' }, { room: 'A1  ' }, { guest: key.guest }, { seat: '1' }]) {
      expect((await links(part, 'booking')).map(([operation]) => operation), JSON.stringify(part)).toEqual(['INSERT']);
    }
    for (const part of [{ at: '2024-05-01T10:00:01Z' }, { room: 'A' }, { guest: 'not-a-uuid' }]) expect(await links(part, 'booking'), JSON.stringify(part)).toEqual([]);
  });
});
