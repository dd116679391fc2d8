import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { activityBuckets } from './activity-buckets.js';
import { activityFeed } from './activity-feed.js';
import { compareVersions } from './compare-versions.js';
import { contextChanges } from './context-changes.js';
import { filterConditions, type EventFilter } from './event-filter.js';
import { SqlParams } from './event-sql.js';
import { loadRegistry } from './tracked-table-registry.js';
import type { DiffEvent } from './event-types.js';
import { compactJson, parseJsonExact, rawJson, stringifyJson } from './exact-json.js';
import { BIG_AMOUNTS, BIG_ID, createFixtureTables, writeScriptedHistory, type ExpectedEvent, type ScriptedHistory } from './history-fixture.test-support.js';
import { RowtrailQueryError } from './query-errors.js';
import { recordHistory } from './record-history.js';
import { recordStateAt } from './record-state.js';
import { trackedTablesSummary } from './tracked-tables-summary.js';

let db: TestDatabase;
let script: ScriptedHistory;
let all: DiffEvent[]; // oldest first
beforeAll(async () => {
  db = await createTestDatabase('query_api');
  await createFixtureTables(db.pool);
  script = await writeScriptedHistory(db.pool);
  all = (await activityFeed(db.pool, {}, { limit: 1000 })).events.reverse();
});
afterAll(() => db.drop());

/** Checks an event against the write that should have produced it: values and context. */
function expectEvent(actual: DiffEvent, expected: ExpectedEvent): void {
  expect({ table: actual.table, recordKey: actual.recordKey, operation: actual.operation, changes: actual.changes, label: actual.label })
    .toEqual({ table: expected.table, recordKey: expected.recordKey, operation: expected.operation, changes: expected.changes, label: expected.table.slice(7) });
  expect(actual.eventId).toMatch(/^\d+$/);
  expect(actual.txid).toMatch(/^\d+$/);
  expect(actual.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  if (expected.context) {
    const m = expected.context.metadata;
    expect(actual.context).toMatchObject({ id: expected.context.id, user: m.user ?? null, requestId: m.requestId ?? null, method: m.method ?? null, url: m.url ?? null, metadata: m });
  } else {
    expect(actual.context).toMatchObject({ user: null, requestId: null, metadata: {} }); // attributed to the database session
    expect(actual.context?.dbUser).toBeTruthy();
  }
}

const expectedWhere = (keep: (e: ExpectedEvent) => boolean) => script.events.filter(keep);
const ids = (events: { eventId: string }[]) => events.map((e) => e.eventId);

describe('activityFeed', () => {
  it('returns every scripted event, newest first, with values and context', async () => {
    expect(all).toHaveLength(script.events.length);
    all.forEach((event, i) => expectEvent(event, script.events[i]));
    const eventIds = all.map((e) => BigInt(e.eventId));
    expect([...eventIds].sort((a, b) => (a < b ? -1 : 1))).toEqual(eventIds);
  });

  const cases: Array<[string, () => EventFilter, (e: ExpectedEvent) => boolean]> = [
    ['table', () => ({ tables: ['public.note'] }), (e) => e.table === 'public.note'],
    ['table without schema', () => ({ tables: ['account'] }), (e) => e.table === 'public.account'],
    ['operations', () => ({ operations: ['DELETE', 'INSERT'] }), (e) => e.operation !== 'UPDATE'],
    ['user', () => ({ user: 'alice' }), (e) => e.context === script.contexts.alice],
    ['numeric user', () => ({ user: 42 }), (e) => e.context === script.contexts.robot],
    ['request id', () => ({ requestId: 'req-2' }), (e) => e.context === script.contexts.bob],
    ['context id', () => ({ contextId: script.contexts.robot.id }), (e) => e.context === script.contexts.robot],
    ['metadata key', () => ({ metadata: { tenant: 't1' } }), (e) => e.context === script.contexts.bob],
    ['record key', () => ({ tables: ['public.account'], recordKey: { id: '1' } }), (e) => e.table === 'public.account' && e.recordKey.id === 1],
    ['table and user', () => ({ tables: ['public.account'], user: 'alice' }), (e) => e.table === 'public.account' && e.context === script.contexts.alice],
  ];
  for (const [name, filter, keep] of cases) {
    it(`filters by ${name}`, async () => {
      const page = await activityFeed(db.pool, filter(), { limit: 1000 });
      const expected = expectedWhere(keep).reverse();
      expect(page.events.length).toBeGreaterThan(0);
      expect(page.events).toHaveLength(expected.length);
      page.events.forEach((event, i) => expectEvent(event, expected[i]));
      expect(page.nextCursor).toBeNull();
    });
  }

  it('filters by time range (from inclusive, to exclusive)', async () => {
    const page = await activityFeed(db.pool, { from: all[2].createdAt, to: all[5].createdAt }, { limit: 1000 });
    expect(ids(page.events)).toEqual(ids(all.slice(2, 5).reverse()));
  });

  it('walks pages with cursors', async () => {
    const walked: DiffEvent[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof activityFeed>> = await activityFeed(db.pool, {}, { limit: 3, cursor });
      expect(page.events.length).toBeLessThanOrEqual(3);
      walked.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids(walked)).toEqual(ids([...all].reverse()));
  });

  it('refuses bad input with errors naming the parameter', async () => {
    await expect(activityFeed(db.pool, { tables: ['nope'] })).rejects.toMatchObject({ status: 404, code: 'unknown_table', parameter: 'table' });
    await expect(activityFeed(db.pool, {}, { cursor: 'garbage!' })).rejects.toMatchObject({ status: 400, parameter: 'cursor' });
    await expect(activityFeed(db.pool, {}, { limit: 0 })).rejects.toMatchObject({ status: 400, parameter: 'limit' });
    await expect(activityFeed(db.pool, { from: '2024-02-30' })).rejects.toMatchObject({ status: 400, parameter: 'from' });
    await expect(activityFeed(db.pool, { recordKey: { id: 1 } })).rejects.toMatchObject({ status: 400, parameter: 'recordKey' });
    await expect(activityFeed(db.pool, { tables: ['account'], recordKey: { nope: 1 } })).rejects.toBeInstanceOf(RowtrailQueryError);
  });
});

describe('context filters', () => {
  it('select context ids first, so the indexes on context metadata can serve them', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off'); // a tiny table would be scanned anyway: ask whether the index is usable at all
      for (const [filter, index] of [[{ user: 'alice' }, 'context_user_idx'], [{ requestId: 'req-2' }, 'context_request_idx']] as const) {
        const params = new SqlParams();
        const where = filterConditions(filter, await loadRegistry(db.pool), params, 'rowtrail');
        const { rows } = await client.query(`EXPLAIN SELECT d.event_id FROM rowtrail.event d WHERE ${where.join(' AND ')} ORDER BY d.event_id DESC LIMIT 51`, params.values);
        expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain(index);
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('recordHistory', () => {
  it('returns every version of a record with snapshots, in either order', async () => {
    const expected = expectedWhere((e) => e.table === 'public.account' && e.recordKey.id === 1);
    const asc = await recordHistory(db.pool, 'public.account', { id: 1 }, { order: 'asc' });
    expect(asc.events).toHaveLength(3);
    asc.events.forEach((event, i) => {
      expectEvent(event, expected[i]);
      expect(event.snapshot).toEqual(expected[i].snapshot); // excluded column "secret" never appears
    });
    const desc = await recordHistory(db.pool, 'public.account', { id: 1 });
    expect(ids(desc.events)).toEqual(ids(asc.events).reverse());
    const firstPage = await recordHistory(db.pool, 'public.account', { id: 1 }, { order: 'asc', limit: 2 });
    const secondPage = await recordHistory(db.pool, 'public.account', { id: 1 }, { order: 'asc', limit: 2, cursor: firstPage.nextCursor });
    expect(ids([...firstPage.events, ...secondPage.events])).toEqual(ids(asc.events));
    expect(secondPage.nextCursor).toBeNull();
  });
});

describe('recordStateAt', () => {
  it('gives the version current at an instant, or "did not exist"', async () => {
    const history = (await recordHistory(db.pool, 'public.account', { id: 1 }, { order: 'asc' })).events;
    expect(await recordStateAt(db.pool, 'public.account', { id: 1 }, '2000-01-01')).toEqual({ exists: false, event: null });
    const atInsert = await recordStateAt(db.pool, 'public.account', { id: 1 }, history[0].createdAt);
    expect(atInsert.exists).toBe(true);
    expect(atInsert.event?.snapshot).toEqual({ id: 1, name: 'Ann', balance: 10 });
    const justBeforeDelete = (await db.pool.query(`SELECT to_char(($1::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t`, [history[2].createdAt])).rows[0].t;
    const atUpdate = await recordStateAt(db.pool, 'public.account', { id: 1 }, justBeforeDelete);
    expect(atUpdate.event?.eventId).toBe(history[1].eventId);
    const afterDelete = await recordStateAt(db.pool, 'public.account', { id: 1 }, new Date(Date.now() + 60_000));
    expect(afterDelete).toMatchObject({ exists: false, event: { operation: 'DELETE', eventId: history[2].eventId } });
  });
});

describe('compareVersions', () => {
  it('diffs two versions of a record', async () => {
    const history = (await recordHistory(db.pool, 'public.account', { id: 2 }, { order: 'asc' })).events;
    const result = await compareVersions(db.pool, 'public.account', { id: 2 }, history[0].eventId, history[1].eventId);
    expect(result.changes).toEqual({ name: ['Bob', 'Bobby'] });
    expect(result.from.eventId).toBe(history[0].eventId);
    const other = all.find((e) => e.table === 'public.note')!;
    await expect(compareVersions(db.pool, 'public.account', { id: 2 }, history[0].eventId, other.eventId)).rejects.toMatchObject({ status: 404, parameter: 'to' });
    await expect(compareVersions(db.pool, 'public.account', { id: 2 }, 'x', history[0].eventId)).rejects.toMatchObject({ status: 400, parameter: 'from' });
  });
});

describe('numbers a JavaScript number cannot hold', () => {
  it('come back as strings of their exact digits, and compare exactly', async () => {
    const history = (await recordHistory(db.pool, 'ledger', { id: BIG_ID }, { order: 'asc' })).events;
    expect(history.map((e) => [e.recordKey, e.snapshot])).toEqual([[{ id: BIG_ID }, { id: BIG_ID, amount: BIG_AMOUNTS[0], memo: 'big' }], [{ id: BIG_ID }, { id: BIG_ID, amount: BIG_AMOUNTS[1], memo: 'big' }]]);
    expect((await recordHistory(db.pool, 'ledger', { id: '9007199254740992' })).events).toEqual([]); // the rounded key is another record
    const compared = await compareVersions(db.pool, 'ledger', { id: BIG_ID }, history[0].eventId, history[1].eventId);
    expect(compared.changes).toEqual({ amount: [...BIG_AMOUNTS] }); // equal once rounded to doubles, different in fact
    expect((await compareVersions(db.pool, 'ledger', { id: BIG_ID }, history[1].eventId, history[1].eventId)).changes).toEqual({});
    expect((await activityFeed(db.pool, { tables: ['ledger'], recordKey: { id: `000${BIG_ID}` } })).events).toHaveLength(2);
  });

  it('parseJsonExact keeps every other number a number; stringifyJson splices raw JSON', () => {
    expect(parseJsonExact('{"a": 9007199254740991, "b": -9007199254740993, "c": 0.1, "d": 1.50, "e": 1e400, "f": "9007199254740993", "g": [12345678901234567.891, 1.7976931348623157e308]}'))
      .toEqual({ a: 9007199254740991, b: '-9007199254740993', c: 0.1, d: 1.5, e: '1e400', f: '9007199254740993', g: ['12345678901234567.891', 1.7976931348623157e308] });
    expect(() => parseJsonExact('{"a": 1.2.3.4.5.6.7.8.9.0}')).toThrow(SyntaxError);
    expect(compactJson('{"a b": "x : y", "n": [1, 2.50], "q": "\\" ,"}')).toBe('{"a b":"x : y","n":[1,2.50],"q":"\\" ,"}');
    expect(stringifyJson({ x: rawJson('{"n": 9007199254740993}'), y: ['"quoted"', null] })).toBe('{"x":{"n": 9007199254740993},"y":["\\"quoted\\"",null]}');
  });
});

describe('contextChanges', () => {
  it('lists everything one request changed, across tables, oldest first', async () => {
    const result = await contextChanges(db.pool, script.contexts.alice.id);
    const expected = expectedWhere((e) => e.context === script.contexts.alice);
    expect(result.events).toHaveLength(expected.length);
    result.events.forEach((event, i) => expectEvent(event, expected[i]));
    expect(result.context).toMatchObject({ id: script.contexts.alice.id, user: 'alice', requestId: 'req-1', method: 'POST', url: '/accounts' });
    await expect(contextChanges(db.pool, '00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ status: 404 });
    await expect(contextChanges(db.pool, 'not-a-uuid')).rejects.toMatchObject({ status: 400, parameter: 'id' });
  });
});

describe('trackedTablesSummary and activityBuckets', () => {
  it('summarises tracked tables, exactly or from statistics', async () => {
    const exact = await trackedTablesSummary(db.pool);
    const count = (table: string) => script.events.filter((e) => e.table === table).length;
    expect(exact.map((t) => [t.table, t.events, t.eventsEstimated])).toEqual(['public.account', 'public.ledger', 'public.note'].map((t) => [t, count(t), false]));
    expect(exact[0].lastChangeAt).toBe(all.filter((e) => e.table === 'public.account').at(-1)!.createdAt);
    expect(exact[0].primaryKey).toEqual(['id']);
    expect(Object.keys(exact[0]).sort()).toEqual(['columns', 'events', 'eventsEstimated', 'lastChangeAt', 'primaryKey', 'recording', 'snapshotTable', 'table']);
    await db.pool.query('ANALYZE rowtrail.account_history, rowtrail.ledger_history, rowtrail.note_history');
    const estimated = await trackedTablesSummary(db.pool, { exactCountLimit: 1 });
    expect(estimated.map((t) => [t.events, t.eventsEstimated])).toEqual(['public.account', 'public.ledger', 'public.note'].map((t) => [count(t), true]));
  });

  it('says whether each table\'s changes are recorded now: not with a capture trigger disabled, replica-only or gone; still when renamed', async () => {
    const recording = async () => (await trackedTablesSummary(db.pool)).map((t) => [t.table, t.recording]);
    expect(await recording()).toEqual([['public.account', true], ['public.ledger', true], ['public.note', true]]);
    try {
      await db.pool.query('ALTER TABLE ledger DISABLE TRIGGER rowtrail_capture_update');
      await db.pool.query('ALTER TABLE note ENABLE REPLICA TRIGGER rowtrail_capture_insert');
      expect(await recording()).toEqual([['public.account', true], ['public.ledger', false], ['public.note', false]]);
      await db.pool.query('ALTER TABLE note ENABLE ALWAYS TRIGGER rowtrail_capture_insert'); // fires in every session
      // renamed: its triggers go on recording its changes under the installed name
      await db.pool.query('ALTER TABLE account RENAME TO account_renamed');
      expect(await recording()).toEqual([['public.account', true], ['public.ledger', false], ['public.note', true]]);
    } finally {
      await db.pool.query('ALTER TABLE account_renamed RENAME TO account');
      await db.pool.query('ALTER TABLE ledger ENABLE TRIGGER rowtrail_capture_update');
      await db.pool.query('ALTER TABLE note ENABLE TRIGGER rowtrail_capture_insert');
    }
    expect(await recording()).toEqual([['public.account', true], ['public.ledger', true], ['public.note', true]]);
  });

  it('counts events per bucket and operation', async () => {
    const result = await activityBuckets(db.pool, {}, { bucket: 'hour' });
    const sum = (op: string) => result.buckets.reduce((n, b) => n + b[op as 'INSERT'], 0);
    expect([sum('INSERT'), sum('UPDATE'), sum('DELETE')]).toEqual(['INSERT', 'UPDATE', 'DELETE'].map((op) => script.events.filter((e) => e.operation === op).length));
    expect(result.buckets[0].start).toBe(`${all[0].createdAt.slice(0, 13)}:00:00.000000Z`);
    const alice = await activityBuckets(db.pool, { user: 'alice' }, { bucket: 'day' });
    expect(alice.buckets.reduce((n, b) => n + b.INSERT + b.UPDATE + b.DELETE, 0)).toBe(3);
  });
});
