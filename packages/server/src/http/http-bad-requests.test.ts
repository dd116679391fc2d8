import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureTables, writeScriptedHistory } from '../query/history-fixture.test-support.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { startServer, type RunningServer } from './standalone-server.js';

let db: TestDatabase;
let server: RunningServer;
const unexpected: unknown[] = [];
beforeAll(async () => {
  db = await createTestDatabase('http_bad_requests');
  await createFixtureTables(db.pool);
  await writeScriptedHistory(db.pool);
  server = await startServer({ pool: db.pool, port: 0, token: 'test-token-0123456789', onError: (error) => unexpected.push(error) });
});
afterAll(async () => {
  await server?.close();
  await db.drop();
});

const get = (pathAndQuery: string, init: RequestInit = {}) =>
  fetch(server.url + pathAndQuery, { ...init, headers: { authorization: `Bearer ${server.token}` } });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const key = encodeURIComponent('{"id":1}');
const someUuid = '8b0c54c1-0f5e-4d3b-a5a4-6f0d4b1e2c3d';

// [request, parameter the answer must name, expected status]
const BAD_REQUESTS: Array<[string, string, number]> = [
  ['/api/events?limit=0', 'limit', 400],
  ['/api/events?limit=-1', 'limit', 400],
  ['/api/events?limit=1001', 'limit', 400],
  ['/api/events?limit=abc', 'limit', 400],
  ['/api/events?limit=1.5', 'limit', 400],
  ['/api/events?limit=99999999999999999999', 'limit', 400],
  ['/api/events?limit=1&limit=2', 'limit', 400],
  ['/api/events?cursor=!!!', 'cursor', 400],
  [`/api/events?cursor=${b64({ v: 2, e: '1' })}`, 'cursor', 400],
  [`/api/events?cursor=${b64('hello')}`, 'cursor', 400],
  [`/api/events?cursor=${b64({ v: 1, e: '99999999999999999999' })}`, 'cursor', 400],
  ['/api/events?from=yesterday', 'from', 400],
  ['/api/events?from=2024-02-30', 'from', 400],
  ['/api/events?to=2024-13-01', 'to', 400],
  ['/api/events?from=2025-01-01&to=2024-01-01', 'from', 400],
  ['/api/events?after=yesterday', 'after', 400],
  ['/api/activity?after=10:20:25', 'after', 400],
  ['/api/export?after=9000000000:9000000000:', 'after', 400],
  ['/api/export?after=1:2:&after=1:2:', 'after', 400],
  ['/api/events?table=nope', 'table', 404],
  ['/api/events?table=account&table=ghost', 'table', 404],
  ['/api/events?operation=MERGE', 'operation', 400],
  ['/api/events?contextId=123', 'contextId', 400],
  [`/api/events?recordKey=${key}`, 'recordKey', 400],
  ['/api/events?table=account&recordKey=[1]', 'recordKey', 400],
  [`/api/events?table=account&recordKey=${encodeURIComponent('{"nope":1}')}`, 'recordKey', 400],
  [`/api/events?table=account&recordKey=${encodeURIComponent('{"id":"abc"}')}`, 'recordKey.id', 400],
  ['/api/events?unknown=1', 'unknown', 400],
  ['/api/events?meta.=x', 'meta.', 400],
  ['/api/events?meta.tenant=a&meta.tenant=b', 'meta.tenant', 400],
  [`/api/events?user=${'u'.repeat(600)}`, 'user', 400],
  ['/api/activity?bucket=week', 'bucket', 400],
  ['/api/activity?limit=5', 'limit', 400],
  ['/api/history', 'table', 400],
  ['/api/history?table=account', 'key', 400],
  ['/api/history?table=account&key=notjson', 'key', 400],
  [`/api/history?table=account&key=${key}&key=${key}`, 'key', 400],
  [`/api/history?table=account&key=${key}&order=up`, 'order', 400],
  [`/api/history?table=ghost&key=${key}`, 'table', 404],
  [`/api/history?table=account&key=${encodeURIComponent('{"id":{"x":1}}')}`, 'key.id', 400],
  [`/api/state?table=account&key=${key}`, 'at', 400],
  [`/api/state?table=account&key=${key}&at=2024-01-01T25:00`, 'at', 400],
  [`/api/state?table=account&key=${key}&at=0000-01-01`, 'at', 400],
  [`/api/compare?table=account&key=${key}&from=x&to=1`, 'from', 400],
  [`/api/compare?table=account&key=${key}&from=1&to=-5`, 'to', 400],
  [`/api/compare?table=account&key=${key}&from=1&to=999999999`, 'to', 404],
  ['/api/contexts/not-a-uuid', 'id', 400],
  [`/api/contexts/${someUuid}`, 'id', 404],
  [`/api/contexts/${someUuid}?limit=0`, 'limit', 400],
  ['/api/contexts/%E0%A4%A', 'id', 400],
  ['/api/export?format=xml', 'format', 400],
  [`/api/export?key=${key}`, 'table', 400],
  [`/api/export?table=account&key=${key}&user=bob`, 'key', 400],
  ['/api/export?table=ghost', 'table', 404],
  ['/api/tables?x=1', 'x', 400],
  ['/api/events?user=%00', 'user', 400],
  ['/api/events?toString=1', 'toString', 400],
  ['/api/events?__proto__=1', '__proto__', 400],
  ['/api/events?meta.__proto__=1&meta.__proto__=2', 'meta.__proto__', 400],
  ['/api/events?meta.tenant=a%00', 'meta.tenant', 400],
  [`/api/history?table=note&key=${encodeURIComponent('{"slug":"\\u0000"}')}`, 'key.slug', 400],
  [`/api/history?table=note&key=${encodeURIComponent('{"slug":"\\ud800"}')}`, 'key.slug', 400],
  ['/api/export?format=ndjson&requestId=%00', 'requestId', 400],
  [`/api/history?table=account&key=${encodeURIComponent('{"id":01}')}`, 'key', 400], // not JSON
  [`/api/history?table=account&key=${encodeURIComponent('{"id":"1e3"}')}`, 'key.id', 400],
  [`/api/history?table=account&key=${encodeURIComponent('{"id":"+1"}')}`, 'key.id', 400],
  [`/api/export?table=account&key=${encodeURIComponent('{"id":"1."}')}`, 'key.id', 400],
  [`/api/events?table=account&recordKey=${encodeURIComponent('{"id":"0x1"}')}`, 'recordKey.id', 400],
  [`/api/state?table=account&key=${encodeURIComponent('{"id":" - 1"}')}&at=2024-01-01`, 'key.id', 400],
];

describe('bad requests', () => {
  it(`answers each of ${BAD_REQUESTS.length} bad requests 4xx naming the parameter`, async () => {
    expect(BAD_REQUESTS.length).toBeGreaterThanOrEqual(30);
    for (const [request, parameter, status] of BAD_REQUESTS) {
      const response = await get(request);
      const body = await response.json();
      expect([request, response.status]).toEqual([request, status]);
      expect(body.error.parameter, request).toBe(parameter);
      expect(body.error.message, request).toContain(parameter);
    }
    expect(unexpected).toEqual([]);
  });

  it('refuses writes with 405 and unknown paths with 404', async () => {
    expect((await get('/api/events', { method: 'POST' })).status).toBe(405);
    expect((await get('/api/events/extra')).status).toBe(404);
  });

  it('never answers 5xx to random query strings (property)', async () => {
    const paths = ['/api/events', '/api/activity', '/api/history', '/api/state', '/api/compare', `/api/contexts/${someUuid}`, '/api/export', '/api/tables'];
    const names = ['table', 'operation', 'user', 'requestId', 'contextId', 'recordKey', 'key', 'from', 'to', 'after', 'at', 'limit', 'cursor', 'order', 'bucket', 'format', 'meta.tenant', 'meta.', 'toString', '__proto__', 'constructor', 'meta.__proto__'];
    const values = fc.oneof(
      fc.string(), fc.string({ unit: 'binary' }), fc.integer().map(String), fc.double().map(String),
      fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '{"slug":"\\u0000"}', '{"slug":"\\udc00x"}', '{"id":1.5}', '{"id":-0}', '{"id":"١"}'),
      // numeric keys: leading zeros, signs, huge and precise values
      fc.constantFrom('{"id":"01"}', '{"id":"-007"}', '{"id":"00.50"}', '{"id":"-0"}', '{"id":01}', '{"id":9007199254740993}', '{"id":"99999999999999999999"}', '{"id":12345678901234567.891}'),
      fc.tuple(fc.constantFrom('', '-', '+', ' '), fc.stringMatching(/^0{0,3}\d{1,25}(\.\d{0,5})?$/)).map(([sign, digits]) => JSON.stringify({ id: `${sign}${digits}` })),
      fc.constantFrom('account', 'public.note', '{"id":1}', '{"slug":"n1"}', '{"id":"1e999"}', 'INSERT', 'asc', 'json', 'ndjson', 'day', '2024-01-01', '9999-12-31T23:59:59Z', someUuid, b64({ v: 1, e: '1' }), '', '3:3:', '10:20:12,15', '9999999999:9999999999:'),
      fc.json(),
    );
    const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...names), fc.string()), values), { maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), query, fc.boolean(), async (path, pairs, raw) => {
        const search = raw
          ? pairs.map(([k, v]) => `${k}=${v}`).join('&').replace(/#/g, '%23')
          : new URLSearchParams(pairs).toString();
        const response = await get(`${path}?${search}`);
        const body = await response.text(); // throws if a stream was cut short
        expect(response.status, `${path}?${search}`).toBeLessThan(500);
        if (response.status === 200 && path === '/api/export' && !search.includes('format=ndjson')) expect(() => JSON.parse(body)).not.toThrow();
      }),
      { numRuns: Number(process.env.ROWTRAIL_FUZZ_RUNS ?? 200) },
    );
    expect(unexpected).toEqual([]);
  });

  it('never answers 5xx to random paths (property)', async () => {
    const segment = fc.oneof(fc.string(), fc.constantFrom('contexts', 'export', 'link', someUuid, '%', '%E0%A4%A', '..', '%2F', '%00'));
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 3 }), async (segments) => {
        const path = `/api/${segments.map((s) => s.replace(/[?#]/g, encodeURIComponent)).join('/')}`;
        const response = await get(path);
        await response.text();
        expect(response.status, path).toBeLessThan(500);
      }),
      { numRuns: Number(process.env.ROWTRAIL_FUZZ_RUNS ?? 100) },
    );
    expect(unexpected).toEqual([]);
  });
});
