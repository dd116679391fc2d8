import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityFeed } from '../query/activity-feed.js';
import { parseJsonExact } from '../query/exact-json.js';
import { createFixtureTables, writeScriptedHistory } from '../query/history-fixture.test-support.js';
import { recordStateAt } from '../query/record-state.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { startServer, type RunningServer } from './standalone-server.js';

let db: TestDatabase;
let server: RunningServer;
const unexpected: unknown[] = [];
beforeAll(async () => {
  db = await createTestDatabase('http_input_edges');
  await createFixtureTables(db.pool);
  await writeScriptedHistory(db.pool);
  await db.pool.query(`INSERT INTO account (id, name) VALUES (0, 'zero')`);
  server = await startServer({ pool: db.pool, port: 0, token: 'edges-token-0123456789', onError: (error) => unexpected.push(error) });
});
afterAll(async () => {
  await server?.close();
  await db.drop();
});

const get = async (pathAndQuery: string) => {
  const response = await fetch(server.url + pathAndQuery, { headers: { authorization: `Bearer ${server.token}` } });
  return { status: response.status, body: await response.json() };
};
const error = (parameter: string, message: RegExp) => ({ status: 400, body: { error: { code: 'invalid_parameter', parameter, message: expect.stringMatching(message) } } });

describe('time ranges', () => {
  it('refuse "from" after "to" whatever offset form or sub-millisecond digits they use', async () => {
    for (const [from, to] of [
      ['2030-05-01T12:00:00+02', '2024-01-01T00:00:00+0000'], // offsets Date.parse cannot read
      ['2024-05-01T12:00:00.000900Z', '2024-05-01T12:00:00.000100Z'], // the same millisecond
      ['2024-05-01T12:00:00-01', '2024-05-01T12:30:00Z'], // 13:00 UTC
    ]) {
      expect(await get(`/api/events?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).toEqual(error('from', /^from: must not be after "to"$/));
    }
    // equal instants written differently: an empty range, not an error
    expect((await get(`/api/events?from=${encodeURIComponent('2024-05-01T14:00:00+02')}&to=2024-05-01T12:00:00Z`)).status).toBe(200);
    expect(unexpected).toEqual([]);
  });

  it('say how to write an offset when a URL turned its "+" into a space', async () => {
    expect(await get('/api/events?from=2024-05-01T12:00:00+02:00')).toEqual(error('from', /%2B/));
    expect(await get('/api/events?from=2024-05-01T25:00:00Z')).toEqual(error('from', /^from: must be an ISO 8601 [^%]*$/));
  });

  it('refuse Dates PostgreSQL cannot read as RowtrailQueryError, in the query API', async () => {
    await expect(activityFeed(db.pool, { from: new Date(Date.UTC(20000, 0, 1)) })).rejects.toMatchObject({ status: 400, parameter: 'from' });
    await expect(recordStateAt(db.pool, 'account', { id: 1 }, new Date(Date.UTC(-5, 0, 1)))).rejects.toMatchObject({ status: 400, parameter: 'at' });
    expect((await activityFeed(db.pool, { from: new Date(Date.UTC(2000, 0, 1)), to: '2999-01-01' })).events.length).toBeGreaterThan(0);
  });
});

describe('parameter messages', () => {
  it('name the problem of a repeatable parameter given too often', async () => {
    const many = Array.from({ length: 51 }, () => 'table=account').join('&');
    expect(await get(`/api/events?${many}`)).toEqual(error('table', /^table: given too many times \(at most 50\)$/));
    expect(await get('/api/events?operation=INSERT&operation=MERGE')).toEqual(error('operation', /^operation: must be one of INSERT, UPDATE, DELETE$/));
    expect((await get('/api/events?operation=insert&operation=UPDATE&table=account&table=note')).status).toBe(200);
  });
});

describe('record keys', () => {
  it('refuse a column given twice, which JSON.parse would resolve to its last value', async () => {
    for (const [parameter, path] of [['key', '/api/history?table=account&key='], ['recordKey', '/api/events?table=account&recordKey=']]) {
      expect(await get(`${path}${encodeURIComponent('{"id":1,"id":2}')}`)).toEqual(error(parameter, new RegExp(`^${parameter}: gives "id" twice: give each column once$`)));
    }
    // the same value twice means one key
    expect((await get(`/api/history?table=account&key=${encodeURIComponent('{"id":1,"id":1}')}`)).status).toBe(200);
  });

  it('refuse a number written with spaces around it, as the docs say', async () => {
    for (const id of ['" 1"', '"1\\n"', '"\\t1"']) {
      expect(await get(`/api/history?table=account&key=${encodeURIComponent(`{"id":${id}}`)}`)).toEqual(error('key.id', /^key\.id: must be a number, got /));
    }
    expect((await get(`/api/history?table=account&key=${encodeURIComponent('{"id":"1"}')}`)).status).toBe(200);
  });
});

describe('numbers out of a double\'s range', () => {
  it('are never rounded to another key (1e-400 is not 0)', async () => {
    expect(parseJsonExact('{"tiny": 1e-400, "huge": 1e400, "plain": 1.5e1}')).toEqual({ tiny: '1e-400', huge: '1e400', plain: 15 });
    // read as their exact value, as JSON reads them: no integer key has it, so not the record 0 either
    for (const id of ['1e-400', '1e400']) {
      expect(await get(`/api/history?table=account&key=${encodeURIComponent(`{"id":${id}}`)}`)).toEqual({ status: 200, body: { events: [], nextCursor: null } });
    }
    expect((await get(`/api/history?table=account&key=${encodeURIComponent('{"id":0}')}`)).body.events).toHaveLength(1);
  });
});
