import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { contextMiddleware, MAX_REQUEST_ID_LENGTH, MAX_URL_BYTES } from '../context/express-middleware.js';
import { serveExpress, type ExpressTestServer } from '../testing/express-test-server.js';
import type { TestDatabase } from '../testing/test-database.js';
import { LineItem, Product, UntrackedNote } from './test-entities.js';
import { historySince, lastEventId } from './test-history.js';
import { openTrackedDatabase, type TrackedTestDatabase } from './tracked-test-database.js';

let opened: TrackedTestDatabase;
let db: TestDatabase;
let dataSource: DataSource;
let server: ExpressTestServer | undefined;
let base: string;

beforeAll(async () => {
  opened = await openTrackedDatabase('express_context', [Product, LineItem, UntrackedNote], 2);
  ({ db, dataSource } = opened);
  const app = express();
  app.use((req, _res, next) => {
    (req as unknown as { user?: { id: string } }).user = req.headers['x-user'] ? { id: String(req.headers['x-user']) } : undefined;
    next();
  });
  app.use(contextMiddleware<express.Request>({ user: (req) => (req as unknown as { user?: { id: string } }).user?.id, metadata: (req) => ({ tenant: req.headers['x-tenant'] ?? null }) }));
  const saveProduct = async (req: express.Request, res: express.Response) => {
    await new Promise((r) => setTimeout(r, 5)); // context must survive async hops
    const saved = await dataSource.getRepository(Product).save({ name: String(req.params.name), price: '1.00', stock: 1 });
    res.json({ id: saved.id });
  };
  app.post('/products/:name', saveProduct);
  // authentication of one route, after the app-wide contextMiddleware ran: the user is read when the route writes
  const routeAuth = (req: express.Request, _res: express.Response, next: express.NextFunction) => {
    (req as unknown as { user?: { id: string } }).user = { id: `route-${String(req.headers['x-route-user'])}` };
    next();
  };
  app.post('/route-auth/:name', routeAuth, saveProduct);
  // a service whose edge does not control x-request-id: the id is always generated (this context replaces the app-wide one)
  app.post('/generated-ids/:name', contextMiddleware({ requestIdHeader: false }), saveProduct);
  // a read-only route, and one whose application metadata is over the context limit
  app.get('/search', (_req, res) => res.send('ok'));
  app.post('/big-metadata/:name', contextMiddleware({ metadata: () => ({ blob: 'x'.repeat(9000) }) }), saveProduct);
  server = await serveExpress(app);
  base = server.base;
});
afterAll(async () => {
  await server?.close();
  await opened?.close();
});

describe('contextMiddleware (Express)', () => {
  it('records user, request id, method, URL and extra metadata of each request', async () => {
    const mark = await lastEventId(db.pool);
    const responses = await Promise.all(
      ['alpha', 'beta', 'gamma'].map((name, i) =>
        fetch(`${base}/products/${name}?via=test`, { method: 'POST', headers: { 'x-user': `user-${i}`, 'x-request-id': `req-${name}`, 'x-tenant': 'acme' } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    const anonymous = await fetch(`${base}/products/delta`, { method: 'POST' });
    expect(anonymous.status).toBe(200);
    const rows = await historySince(db.pool, mark);
    const byName = Object.fromEntries(rows.map((r) => [(r.changes as { name: string }).name, r.metadata]));
    expect(byName.alpha).toEqual({ tenant: 'acme', user: 'user-0', requestId: 'req-alpha', method: 'POST', url: '/products/alpha?via=test' });
    expect(byName.gamma).toMatchObject({ user: 'user-2', requestId: 'req-gamma' });
    expect(byName.delta).toMatchObject({ user: null, method: 'POST', url: '/products/delta', tenant: null });
    expect(byName.delta?.requestId).toMatch(/^[0-9a-f-]{36}$/); // generated when the client sends none
  });

  it('reads the user when the request writes, so authentication may run after the middleware (a route\'s own)', async () => {
    const mark = await lastEventId(db.pool);
    const response = await fetch(`${base}/route-auth/theta`, { method: 'POST', headers: { 'x-route-user': 'carol', 'x-request-id': 'req-theta' } });
    expect(response.status).toBe(200);
    const [row] = await historySince(db.pool, mark);
    expect(row.metadata).toEqual({ tenant: null, user: 'route-carol', requestId: 'req-theta', method: 'POST', url: '/route-auth/theta' });
  });

  it('with requestIdHeader: false, generates the request id whatever the client sends', async () => {
    const mark = await lastEventId(db.pool);
    const response = await fetch(`${base}/generated-ids/epsilon`, { method: 'POST', headers: { 'x-request-id': 'chosen-by-client' } });
    expect(response.status).toBe(200);
    const [row] = await historySince(db.pool, mark);
    expect(row.metadata).toMatchObject({ method: 'POST', url: '/generated-ids/epsilon' });
    expect(row.metadata?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('bounds the URL and request id the client sends, so a long one cannot make every request fail', async () => {
    const mark = await lastEventId(db.pool);
    const longQuery = 'q=' + 'a'.repeat(9000);
    const longId = 'r'.repeat(9000);
    // read-only requests: nothing to write, yet the context is built for each of them
    expect((await fetch(`${base}/search?${longQuery}`)).status).toBe(200);
    expect((await fetch(`${base}/search`, { headers: { 'x-request-id': longId } })).status).toBe(200);
    // both at once, on a write (each 5,000 characters: together over the limit): recorded, cut, and marked as cut
    const response = await fetch(`${base}/products/zeta?${longQuery.slice(0, 5000)}`, { method: 'POST', headers: { 'x-request-id': longId.slice(0, 5000), 'x-user': 'user-z' } });
    expect(response.status).toBe(200);
    const [row] = await historySince(db.pool, mark);
    const { url, requestId } = row.metadata as { url: string; requestId: string };
    expect(Buffer.byteLength(url)).toBeLessThanOrEqual(MAX_URL_BYTES);
    expect(url).toMatch(/^\/products\/zeta\?q=a{2000,}…$/);
    expect(requestId).toBe('r'.repeat(MAX_REQUEST_ID_LENGTH - 1) + '…');
    expect(row.metadata).toMatchObject({ user: 'user-z', method: 'POST' });
    // application metadata over the limit is still refused, before any write
    const refused = await fetch(`${base}/big-metadata/eta`, { method: 'POST' });
    expect(refused.status).toBe(500);
    expect(await refused.json()).toMatchObject({ error: 'RowtrailContextError', message: expect.stringMatching(/limit is 8192 bytes/) });
    expect(await historySince(db.pool, mark)).toHaveLength(1);
  });
});
