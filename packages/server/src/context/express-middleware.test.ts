import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { MAX_CONTEXT_BYTES } from './context-comment.js';
import { contextMiddleware, MAX_REQUEST_ID_LENGTH, MAX_URL_BYTES, TRUNCATION_MARK } from './express-middleware.js';
import { currentContext } from './request-context.js';
import { serveExpress, type ExpressTestServer } from '../testing/express-test-server.js';
import type { TestDatabase } from '../testing/test-database.js';
import { Product } from '../typeorm/test-entities.js';
import { historySince, lastEventId } from '../typeorm/test-history.js';
import { openTrackedDatabase, type TrackedTestDatabase } from '../typeorm/tracked-test-database.js';

let opened: TrackedTestDatabase;
let db: TestDatabase;
let dataSource: DataSource;
let server: ExpressTestServer | undefined;
let base: string;

/** Bytes a string takes in the statement's comment: UTF-8, JSON's escapes, and each "*" sent as \u002a. */
function sentBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text).replace(/\*/g, '\\u002a')) - 2;
}

beforeAll(async () => {
  opened = await openTrackedDatabase('express_middleware', [Product], 2);
  ({ db, dataSource } = opened);
  const app = express();
  // no `user` option: the user comes from the application's metadata
  app.use(contextMiddleware<express.Request>({ metadata: (req) => ({ user: req.headers['x-user'] ?? null, tenant: 'acme' }) }));
  const saveProduct = async (req: express.Request, res: express.Response) => {
    const saved = await dataSource.getRepository(Product).save({ name: String(req.params.name), price: '1.00', stock: 1 });
    res.json({ id: saved.id });
  };
  app.get('/read', (_req, res) => res.send('ok')); // writes nothing
  app.post('/products/:name', saveProduct);
  // both given: the `user` option wins over metadata's "user" (this context replaces the app-wide one)
  const both = contextMiddleware<express.Request>({ user: (req) => req.headers['x-account'] as string | undefined, metadata: () => ({ user: 'from-metadata', tenant: 'acme' }) });
  app.post('/both/:name', both, saveProduct);
  // the URL recorded without its query string, which may carry a token
  app.post('/redacted/:name', contextMiddleware<express.Request>({ url: (req) => req.originalUrl.split('?')[0] }), saveProduct);
  app.post('/no-url/:name', contextMiddleware<express.Request>({ url: () => null }), saveProduct);
  // metadata that JSON cannot serialise
  app.post('/bigint/:name', contextMiddleware({ metadata: () => ({ n: 1n }) }), saveProduct);
  // authentication after the middleware, and a `user` that reads what it sets without ?.
  const lateUser = contextMiddleware<express.Request & { auth?: { id: string } }>({ user: (req) => req.auth!.id });
  const authenticate = (req: express.Request & { auth?: { id: string } }, _res: express.Response, next: () => void) => {
    req.auth = { id: 'carol' };
    next();
  };
  app.post('/late-auth/:name', lateUser, authenticate, saveProduct);
  app.get('/late-auth-read', lateUser, (_req, res) => res.send('ok'));
  app.post('/never-auth/:name', lateUser, saveProduct);
  server = await serveExpress(app);
  base = server.base;
});
afterAll(async () => {
  await server?.close();
  await opened?.close();
});

describe('contextMiddleware: URL and request id bounds, as sent', () => {
  it('counts each "*" of the URL as the six bytes it is sent as, so a URL of stars cannot fail a request', async () => {
    // 1,400 "*": 1,408 bytes as JSON, 8,408 bytes as sent (over the 8 KiB context limit)
    expect((await fetch(`${base}/read?q=${'*'.repeat(1400)}`)).status).toBe(200);
    expect((await fetch(`${base}/read?q=${'a'.repeat(3000)}`)).status).toBe(200);
    // the URL and the request id at their worst at once, on a write: recorded, each cut to its bound and marked as cut
    const mark = await lastEventId(db.pool);
    const response = await fetch(`${base}/products/stars?q=${'*'.repeat(5000)}`, { method: 'POST', headers: { 'x-request-id': '*'.repeat(5000), 'x-user': 'user-s' } });
    expect(response.status).toBe(200);
    const [row] = await historySince(db.pool, mark);
    const { url, requestId } = row.metadata as { url: string; requestId: string };
    expect(sentBytes(url)).toBeLessThanOrEqual(MAX_URL_BYTES);
    expect(sentBytes(url)).toBeGreaterThan(MAX_URL_BYTES - 6); // cut at the bound, not far below it
    expect(url).toMatch(/^\/products\/stars\?q=\*+…$/);
    expect(requestId).toBe('*'.repeat(MAX_REQUEST_ID_LENGTH - 1) + TRUNCATION_MARK);
    expect(row.metadata).toMatchObject({ tenant: 'acme', method: 'POST' });
  });

  it('bounds any URL and request id as sent, whatever characters they hold (escapes, non-ASCII, "*")', () => {
    // called directly, so that the URL and id may hold what an HTTP client would percent-encode
    for (const ch of ['*', '\u0001', '\n', '"', '\\', 'é', '€', '😀', 'a']) {
      const request = { method: 'GET', url: '/read?q=' + ch.repeat(10_000), headers: { 'x-request-id': ch.repeat(10_000) } } as unknown as IncomingMessage;
      let comment: string | undefined;
      let failure: unknown;
      contextMiddleware()(request, {} as ServerResponse, (error) => { failure = error; comment = currentContext()?.comment; });
      expect(failure, JSON.stringify(ch)).toBeUndefined();
      const { m } = JSON.parse(comment!.slice('/*rowtrail:'.length, -2)) as { m: { url: string; requestId: string } };
      expect(sentBytes(m.url), JSON.stringify(ch)).toBeLessThanOrEqual(MAX_URL_BYTES);
      expect(m.url.endsWith(TRUNCATION_MARK)).toBe(true);
      expect(m.requestId.endsWith(TRUNCATION_MARK)).toBe(true);
      expect(Buffer.byteLength(comment!)).toBeLessThanOrEqual(MAX_CONTEXT_BYTES);
    }
  });
});

describe('contextMiddleware: user from metadata', () => {
  it('keeps a "user" that metadata gives when there is no `user` option', async () => {
    const mark = await lastEventId(db.pool);
    expect((await fetch(`${base}/products/alice-item`, { method: 'POST', headers: { 'x-user': 'alice', 'x-request-id': 'req-alice' } })).status).toBe(200);
    expect((await fetch(`${base}/products/anonymous-item`, { method: 'POST', headers: { 'x-request-id': 'req-anon' } })).status).toBe(200);
    const rows = await historySince(db.pool, mark);
    const byName = Object.fromEntries(rows.map((r) => [(r.changes as { name: string }).name, r.metadata]));
    expect(byName['alice-item']).toEqual({ user: 'alice', tenant: 'acme', requestId: 'req-alice', method: 'POST', url: '/products/alice-item' });
    expect(byName['anonymous-item']).toEqual({ user: null, tenant: 'acme', requestId: 'req-anon', method: 'POST', url: '/products/anonymous-item' });
  });

  it('with both, the `user` option wins over metadata\'s "user", even when it finds no user', async () => {
    const mark = await lastEventId(db.pool);
    expect((await fetch(`${base}/both/bob-item`, { method: 'POST', headers: { 'x-account': 'bob' } })).status).toBe(200);
    expect((await fetch(`${base}/both/nobody-item`, { method: 'POST' })).status).toBe(200);
    const rows = await historySince(db.pool, mark);
    const byName = Object.fromEntries(rows.map((r) => [(r.changes as { name: string }).name, r.metadata]));
    expect(byName['bob-item']).toMatchObject({ user: 'bob', tenant: 'acme' });
    expect(byName['nobody-item']).toMatchObject({ user: null, tenant: 'acme' });
  });
});

describe('contextMiddleware: the URL recorded', () => {
  it('is what the `url` option returns: a query string with a token left out, or none', async () => {
    const mark = await lastEventId(db.pool);
    expect((await fetch(`${base}/products/as-sent?reset-token=s3cr3t`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${base}/redacted/redacted-item?reset-token=s3cr3t`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${base}/no-url/no-url-item?reset-token=s3cr3t`, { method: 'POST' })).status).toBe(200);
    const rows = await historySince(db.pool, mark);
    const urls = Object.fromEntries(rows.map((r) => [(r.changes as { name: string }).name, (r.metadata as { url?: string }).url ?? null]));
    expect(urls).toEqual({ 'as-sent': '/products/as-sent?reset-token=s3cr3t', 'redacted-item': '/redacted/redacted-item', 'no-url-item': null });
  });
});

describe('contextMiddleware: its options', () => {
  it('refuses a misspelt option or a value of the wrong kind, naming it', () => {
    expect(() => contextMiddleware({ urll: () => '/' } as never)).toThrow('Rowtrail: contextMiddleware: urll: is not an option (those are user, metadata, requestIdHeader, url)');
    expect(() => contextMiddleware({ user: 'alice' } as never)).toThrow('Rowtrail: contextMiddleware: user: must be a function (request) => user id, got a string of 5 characters (not shown)');
    expect(() => contextMiddleware({ requestIdHeader: true } as never)).toThrow('requestIdHeader: must be a header name or false');
  });
});

describe('contextMiddleware: metadata that cannot be serialised', () => {
  it('refuses a bigint in metadata with RowtrailContextError, before any write', async () => {
    const mark = await lastEventId(db.pool);
    const refused = await fetch(`${base}/bigint/never`, { method: 'POST' });
    expect(refused.status).toBe(500);
    expect(await refused.json()).toMatchObject({ error: 'RowtrailContextError', message: expect.stringMatching(/not JSON-serialisable/) });
    expect(await historySince(db.pool, mark)).toHaveLength(0);
  });
});

describe('contextMiddleware: a `user` option that fails until authentication has run', () => {
  it('is read when the request writes, so authentication may come after it; a request that never writes never reads it', async () => {
    const mark = await lastEventId(db.pool);
    expect((await fetch(`${base}/late-auth-read`)).status).toBe(200);
    expect((await fetch(`${base}/late-auth/carol-item`, { method: 'POST' })).status).toBe(200);
    const rows = await historySince(db.pool, mark);
    expect(rows.map((r) => r.metadata)).toEqual([expect.objectContaining({ user: 'carol', url: '/late-auth/carol-item' })]);
  });

  it('that still fails when the request writes refuses the write with an error naming the option and the request', async () => {
    const mark = await lastEventId(db.pool);
    const refused = await fetch(`${base}/never-auth/never`, { method: 'POST' });
    expect(refused.status).toBe(500);
    expect(await refused.json()).toMatchObject({
      // TypeORM wraps the driver's refusal of the statement in its QueryFailedError
      error: 'QueryFailedError',
      message: expect.stringMatching(/^RowtrailContextError: Rowtrail: contextMiddleware: its `user` option threw while the request \(POST \/never-auth\/never\) was writing, so the write was not sent: .*(undefined|id)/),
    });
    expect(await historySince(db.pool, mark)).toHaveLength(0);
  });
});
