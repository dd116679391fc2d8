import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExport } from '../export/export-format.js';
import { activityFeed } from '../query/activity-feed.js';
import { parseJsonExact } from '../query/exact-json.js';
import type { DiffEvent, HistoryEvent } from '../query/event-types.js';
import { BIG_AMOUNTS, BIG_ID, createFixtureTables, writeScriptedHistory, type ScriptedHistory } from '../query/history-fixture.test-support.js';
import { recordHistory } from '../query/record-history.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { readApiJson, withoutKeyText } from './api-json.test-support.js';
import { startServer, type RunningServer } from './standalone-server.js';

let db: TestDatabase;
let server: RunningServer;
let script: ScriptedHistory;
let all: DiffEvent[]; // newest first, from the query API
const dashboard = mkdtempSync(path.join(tmpdir(), 'rowtrail-ui-'));

beforeAll(async () => {
  db = await createTestDatabase('http_api');
  await createFixtureTables(db.pool);
  script = await writeScriptedHistory(db.pool);
  all = (await activityFeed(db.pool, {}, { limit: 1000 })).events;
  writeFileSync(path.join(dashboard, 'index.html'), '<!doctype html><title>Rowtrail</title>');
  writeFileSync(path.join(dashboard, 'app.js'), 'console.log(1)');
  server = await startServer({ pool: db.pool, port: 0, staticDir: dashboard });
});
afterAll(async () => {
  await server?.close();
  await db.drop();
});

const get = (pathAndQuery: string, token: string | null = server.token ?? null) =>
  fetch(server.url + pathAndQuery, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
const getJson = async <T = any>(pathAndQuery: string): Promise<T> => {
  const response = await get(pathAndQuery);
  expect(response.status, `${pathAndQuery}: ${response.status}`).toBe(200);
  return readApiJson<T>(response);
};
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
const ids = (events: { eventId: string }[]) => events.map((e) => e.eventId);
const readApiJsonText = (text: string) => parseJsonExact<any>(text);

describe('authentication', () => {
  it('generates a token when none is configured, and requires it', async () => {
    expect(server.tokenGenerated).toBe(true);
    expect(server.token?.length).toBeGreaterThanOrEqual(32);
    for (const token of [null, 'wrong-token-123', '']) {
      const response = await get('/api/events', token);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await response.json()).error).toMatchObject({ code: 'unauthorized', auth: 'token' }); // the client should send the token
    }
    const basic = await fetch(`${server.url}/api/tables`, { headers: { authorization: `Basic ${Buffer.from(`x:${server.token}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
    const exported = await get('/api/export', null);
    expect(exported.status).toBe(401);
  });

  it('serves health and the OpenAPI document without a token', async () => {
    expect(await (await get('/api/health', null)).json()).toEqual({ ok: true, version: '1' });
    const doc = await (await get('/api/openapi.json', null)).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/activity', '/api/compare', '/api/contexts/{id}', '/api/events', '/api/export', '/api/export/link', '/api/health', '/api/history', '/api/openapi.json', '/api/state', '/api/tables']);
  });
});

describe('endpoints return the scripted events', () => {
  it('GET /api/events: every event newest first, with context; filters and pages', async () => {
    const body = await getJson<{ events: DiffEvent[]; nextCursor: string | null }>('/api/events?limit=1000');
    expect(withoutKeyText(body.events)).toEqual(all);
    expect(body.events.map((e) => [e.table, e.operation, e.changes, e.context?.metadata])).toEqual(
      [...script.events].reverse().map((e) => [e.table, e.operation, e.changes, e.context?.metadata ?? {}]),
    );
    const bob = await getJson<{ events: DiffEvent[] }>(`/api/events?${q({ user: 'bob', 'meta.tenant': 't1' })}&operation=insert&operation=UPDATE`);
    expect(bob.events.map((e) => [e.table, e.operation])).toEqual([['public.note', 'INSERT'], ['public.account', 'UPDATE']]);
    // the writes made without application context, by their database user
    const withoutContext = body.events.filter((e) => Object.keys(e.context?.metadata ?? {}).length === 0);
    expect(withoutContext.length).toBeGreaterThan(0);
    const direct = await getJson<{ events: DiffEvent[] }>(`/api/events?${q({ dbUser: withoutContext[0].context!.dbUser })}&limit=1000`);
    expect(direct.events.map((e) => e.eventId)).toEqual(withoutContext.map((e) => e.eventId));
    const walked: DiffEvent[] = [];
    let cursor: string | null = null;
    do {
      const page: { events: DiffEvent[]; nextCursor: string | null } = await getJson(`/api/events?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      walked.push(...page.events);
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids(walked)).toEqual(ids(all));
  });

  it('GET /api/history, /api/state and /api/compare', async () => {
    const key = JSON.stringify({ id: 1 });
    const history = await getJson<{ events: HistoryEvent[] }>(`/api/history?${q({ table: 'public.account', key, order: 'asc' })}`);
    expect(withoutKeyText(history.events)).toEqual((await recordHistory(db.pool, 'public.account', { id: 1 }, { order: 'asc' })).events);
    expect(history.events.map((e) => [e.operation, e.snapshot])).toEqual([
      ['INSERT', { id: 1, name: 'Ann', balance: 10 }], ['UPDATE', { id: 1, name: 'Ann', balance: 15 }], ['DELETE', { id: 1, name: 'Ann', balance: 15 }],
    ]);
    const state = await getJson(`/api/state?${q({ table: 'account', key, at: history.events[1].createdAt })}`);
    expect(state).toEqual({ exists: true, event: history.events[1] });
    const gone = await getJson(`/api/state?${q({ table: 'account', key, at: '9999-01-01T00:00:00Z' })}`);
    expect(gone).toEqual({ exists: false, event: history.events[2] });
    const compare = await getJson(`/api/compare?${q({ table: 'account', key, from: history.events[0].eventId, to: history.events[1].eventId })}`);
    expect(compare.changes).toEqual({ balance: [10, 15] });
  });

  it('GET /api/contexts/:id, /api/tables and /api/activity', async () => {
    const ctx = await getJson(`/api/contexts/${script.contexts.bob.id}`);
    expect(ctx.context.metadata).toEqual(script.contexts.bob.metadata);
    expect(ctx.events.map((e: DiffEvent) => [e.table, e.operation])).toEqual([['public.account', 'UPDATE'], ['public.note', 'INSERT']]);
    const tables = await getJson('/api/tables');
    expect(tables.tables.map((t: { table: string; events: number }) => [t.table, t.events])).toEqual([['public.account', 5], ['public.ledger', 2], ['public.note', 2]]);
    const activity = await getJson('/api/activity?bucket=day&table=note');
    expect(activity.buckets.map((b: Record<string, unknown>) => [b.INSERT, b.UPDATE, b.DELETE])).toEqual([[1, 1, 0]]);
  });
});

describe('numbers a JavaScript number cannot hold', () => {
  const ledgerKey = `{"id":${BIG_ID}}`;

  it('travel exactly in every JSON answer, as in the export', async () => {
    const events = await get('/api/events?table=ledger');
    const text = await events.text();
    expect(text).toContain(BIG_ID);
    expect(text).toContain(BIG_AMOUNTS[0]);
    expect(text).toContain(BIG_AMOUNTS[1]);
    expect(text).not.toContain('9007199254740992');
    const history = await get(`/api/history?${q({ table: 'ledger', key: ledgerKey, order: 'asc' })}`);
    const historyText = await history.text();
    expect(historyText).toContain(`"amount": ${BIG_AMOUNTS[0]}`); // a JSON number, every digit kept
    const parsed = readApiJsonText(historyText);
    expect(parsed.events.map((e: HistoryEvent) => [e.operation, e.recordKey, e.snapshot.amount])).toEqual([['INSERT', { id: BIG_ID }, BIG_AMOUNTS[0]], ['UPDATE', { id: BIG_ID }, BIG_AMOUNTS[1]]]);
    const [inserted, updated] = parsed.events as HistoryEvent[];
    const compare = await get(`/api/compare?${q({ table: 'ledger', key: ledgerKey, from: inserted.eventId, to: updated.eventId })}`);
    expect(await compare.text()).toMatch(new RegExp(`"changes":\\{"amount": \\[${BIG_AMOUNTS[0]}, ${BIG_AMOUNTS[1]}\\]\\}`));
    const state = await getJson(`/api/state?${q({ table: 'ledger', key: `{"id":"${BIG_ID}"}`, at: updated.createdAt })}`);
    expect(state.event.snapshot.amount).toBe(BIG_AMOUNTS[1]);
    const context = await get(`/api/contexts/${script.contexts.carol.id}`);
    expect(await context.text()).toContain(BIG_AMOUNTS[1]);

    const exported = await (await get('/api/export?table=ledger&format=ndjson')).text();
    expect(exported).toContain(BIG_ID);
    expect(exported).toContain(BIG_AMOUNTS[1]);
    expect(parseExport(exported, 'ndjson').events).toEqual(withoutKeyText(readApiJsonText(text).events).reverse());
  });

  it('gives each event its record key as exact JSON text for links (recordKeyText)', async () => {
    const body = await getJson<{ events: Array<DiffEvent & { recordKeyText: string }> }>('/api/events?table=ledger&limit=1');
    expect(body.events[0].recordKeyText).toBe(`{"id":${BIG_ID}}`);
    const notes = await getJson<{ events: Array<DiffEvent & { recordKeyText: string }> }>('/api/events?table=note&table=account');
    expect(notes.events.length).toBeGreaterThan(0);
    for (const event of notes.events) expect(event.recordKeyText).toBe(JSON.stringify(event.recordKey)); // small keys: as JSON.stringify writes them
    const followed = await getJson(`/api/history?${q({ table: 'ledger', key: body.events[0].recordKeyText })}`);
    expect(followed.events).toHaveLength(2);
  });
});

describe('numeric keys with leading zeros', () => {
  it('mean the number: same history and a complete export as the plain key', async () => {
    const plain = await getJson(`/api/history?${q({ table: 'account', key: '{"id":1}' })}`);
    for (const key of ['{"id":"01"}', '{"id":"0001"}', '{"id":"1"}']) {
      expect(await getJson(`/api/history?${q({ table: 'account', key })}`), key).toEqual(plain);
      const exported = await get(`/api/export?${q({ table: 'account', key })}`);
      expect(exported.status).toBe(200);
      expect(parseExport(await exported.text(), 'json').events.map((e) => e.operation)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    }
    const zero = await get(`/api/events?${q({ table: 'account', recordKey: '{"id":"-00"}' })}`);
    expect([zero.status, (await zero.json()).events]).toEqual([200, []]);
  });
});

describe('GET /api/export', () => {
  it('streams JSON and NDJSON downloads equal to the query API result', async () => {
    for (const format of ['json', 'ndjson'] as const) {
      const response = await get(`/api/export?format=${format}&table=account&user=alice`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(format === 'json' ? 'application/json; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="rowtrail-events-\\d{8}T\\d{6}Z\\.${format}"$`));
      const exported = parseExport(await response.text(), format);
      const expected = (await activityFeed(db.pool, { tables: ['account'], user: 'alice' }, { limit: 1000 })).events.reverse();
      expect(exported.events).toEqual(expected);
      expect(exported.events).toHaveLength(2);
      expect(exported).toMatchObject({ format: 'rowtrail.diff-export', version: 2, selection: { kind: 'filter' } });
    }
    const record = await get(`/api/export?${q({ table: 'account', key: '{"id":1}', format: 'ndjson' })}`);
    expect(record.headers.get('content-disposition')).toContain('rowtrail-public.account-1-');
    expect(parseExport(await record.text(), 'ndjson').events.map((e) => e.operation)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    const context = await get(`/api/export?contextId=${script.contexts.alice.id}`);
    const body = parseExport(await context.text(), 'json');
    expect(body.selection).toEqual({ kind: 'context', contextId: script.contexts.alice.id });
    expect(body.events).toEqual(all.filter((e) => e.context?.id === script.contexts.alice.id).reverse());
  });
});

describe('GET /api/export/link', () => {
  it('returns a signed link that downloads without credentials, and refuses tampered ones', async () => {
    const link = await getJson<{ url: string; expiresAt: string }>(`/api/export/link?${q({ table: 'account', user: 'alice', format: 'ndjson' })}`);
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(30_000);
    expect(link.url).toMatch(/^\/api\/export\?.*&expires=\d+&signature=[\w-]+$/);
    const download = await get(link.url, null);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/\.ndjson"$/);
    const authed = await get(`/api/export?${q({ table: 'account', user: 'alice', format: 'ndjson' })}`);
    expect(parseExport(await download.text(), 'ndjson').events).toEqual(parseExport(await authed.text(), 'ndjson').events);
    for (const tampered of [link.url.replace('user=alice', 'user=bob'), link.url.replace(/signature=[\w-]+/, 'signature=AAAA'), `${link.url}&operation=DELETE`]) {
      const response = await get(tampered, null);
      expect(response.status).toBe(401);
      expect((await response.json()).error).toMatchObject({ code: 'unauthorized', parameter: 'signature' });
    }
    const bad = await get('/api/export/link?table=ghost');
    expect([bad.status, (await bad.json()).error.parameter]).toEqual([404, 'table']);
    expect((await get('/api/export/link?table=account', null)).status).toBe(401);
  });
});

describe('dashboard files', () => {
  it('serves static files, falls back to index.html for client routes, and keeps /api JSON', async () => {
    expect(await (await fetch(`${server.url}/app.js`)).text()).toBe('console.log(1)');
    const route = await fetch(`${server.url}/tables/public.account/records/1`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Rowtrail</title>');
    const missing = await get('/api/nope');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
  });
});

describe('GET /api/export?after=<watermark>', () => {
  it('exports what committed since an earlier export, also through a signed link, and the feed takes it too', async () => {
    const earlier = parseExport(await (await get(`/api/export?${q({ table: 'note', format: 'ndjson' })}`)).text(), 'ndjson');
    expect(earlier.watermark).toMatch(/^\d+:\d+:/);
    await db.pool.query(`INSERT INTO note (slug, body) VALUES ('after-watermark', 'x')`);
    const later = parseExport(await (await get(`/api/export?${q({ table: 'note', after: earlier.watermark })}`)).text(), 'json');
    expect(later.selection).toEqual({ kind: 'filter', filter: { tables: ['note'], after: earlier.watermark } });
    expect(later.events.map((e) => e.recordKey)).toEqual([{ slug: 'after-watermark' }]);
    const link = await getJson<{ url: string }>(`/api/export/link?${q({ table: 'note', after: earlier.watermark })}`);
    expect(parseExport(await (await get(link.url, null)).text(), 'json').events).toEqual(later.events);
    const feed = await getJson<{ events: DiffEvent[] }>(`/api/events?${q({ after: earlier.watermark })}`);
    expect(feed.events.map((e) => e.recordKey)).toEqual([{ slug: 'after-watermark' }]);
  });
});
