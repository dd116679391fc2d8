// The dashboard served by the Fastify plugin under its prefix, beside the API, answering as rowtrailRouter({ dashboard })
// does under an Express mount: the same files with the same caching headers, the page with the mount point as its base.
// Served from a stand-in build, as dashboard-mount.test.ts does.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { rowtrailRouter } from './express-router.js';
import { rowtrailFastifyPlugin } from './fastify-plugin.js';

const PAGE = '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body><div id="root"></div></body></html>';
const auditor = { 'x-role': 'auditor' };
let db: TestDatabase;
let build: string;
let redeployed: string;
let fastify: FastifyInstance;
let fastifyUrl: string;
let expressServer: Server;
let expressUrl: string;

const standInBuild = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rowtrail-dashboard-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), PAGE);
  writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log("dashboard")');
  return dir;
};
// fetch() adds Cache-Control: no-cache to a conditional request, which forbids a 304: ask with node:http instead
const statusOf = (url: string, headers: Record<string, string>) => new Promise<number | undefined>((resolve, reject) => {
  http.get(url, { headers }, (response) => { response.resume(); resolve(response.statusCode); }).on('error', reject);
});
const page = (base: string, text = PAGE) => text.replace('<head>', `<head><base href="${base}">`);

beforeAll(async () => {
  db = await createTestDatabase('fastify_dashboard');
  await install(db.pool);
  build = standInBuild();
  redeployed = standInBuild();
  const authorize = (request: { headers: Record<string, unknown> }) => request.headers['x-role'] === 'auditor';
  fastify = Fastify();
  fastify.get('/own-route', async () => ({ mine: true }));
  fastify.setNotFoundHandler((_request, reply) => reply.code(404).send('the application\'s own 404'));
  fastify.setErrorHandler((error: { statusCode?: number }, _request, reply) => reply.code(error.statusCode ?? 500).send(`the application's own error ${error.statusCode}`));
  await fastify.register(rowtrailFastifyPlugin, { prefix: '/admin/audit', pool: db.pool, authorize, dashboard: build });
  await fastify.register(rowtrailFastifyPlugin, { prefix: '/redeployed', pool: db.pool, authorize, dashboard: redeployed });
  fastifyUrl = await fastify.listen({ port: 0, host: '127.0.0.1' });

  const application = express();
  application.use('/admin/audit', rowtrailRouter({ pool: db.pool, authorize, dashboard: build }));
  expressServer = await new Promise<Server>((resolve) => { const s = application.listen(0, '127.0.0.1', () => resolve(s)); });
  expressUrl = `http://127.0.0.1:${(expressServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await fastify?.close();
  await new Promise((resolve) => expressServer?.close(resolve));
  await db.drop();
  for (const dir of [build, redeployed]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard of rowtrailFastifyPlugin({ dashboard }) under a prefix', () => {
  it('answers its page, naming the prefix as base, at the prefix with or without a slash and at any client path', async () => {
    for (const at of ['/admin/audit', '/admin/audit/', '/admin/audit/records/public.customer?key=1']) {
      const response = await fetch(`${fastifyUrl}${at}`);
      expect(response.status, at).toBe(200);
      expect(response.headers.get('content-type'), at).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control'), at).toBe('no-cache');
      expect(await response.text(), at).toBe(page('/admin/audit/'));
    }
    const head = await fetch(`${fastifyUrl}/admin/audit/records/public.customer`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, 'text/html; charset=utf-8', '']);
  });

  it('serves its files without authorization, with the headers Express gives them, and keeps the API behind authorize()', async () => {
    const headers = (response: Response) => ['content-type', 'cache-control', 'etag', 'last-modified', 'content-length'].map((name) => response.headers.get(name));
    const [fromFastify, fromExpress] = await Promise.all([fetch(`${fastifyUrl}/admin/audit/assets/app.js`), fetch(`${expressUrl}/admin/audit/assets/app.js`)]);
    expect(fromFastify.status).toBe(200);
    expect(await fromFastify.text()).toBe('console.log("dashboard")');
    expect(headers(fromFastify)).toEqual(headers(fromExpress));
    const etag = fromFastify.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    expect(await statusOf(`${fastifyUrl}/admin/audit/assets/app.js`, { 'if-none-match': etag })).toBe(304);
    const head = await fetch(`${fastifyUrl}/admin/audit/assets/app.js`, { method: 'HEAD' });
    expect([head.status, head.headers.get('etag'), await head.text()]).toEqual([200, etag, '']);

    expect((await fetch(`${fastifyUrl}/admin/audit/api/tables`)).status).toBe(401);
    expect((await fetch(`${fastifyUrl}/admin/audit/api/tables`, { headers: auditor })).status).toBe(200);
    // an unknown API path is the API's 404, never the page
    for (const at of ['/admin/audit/api/nope', '/admin/audit/api/']) {
      const unknown = await fetch(`${fastifyUrl}${at}`, { headers: auditor });
      expect(unknown.status, at).toBe(404);
      expect(unknown.headers.get('content-type'), at).toMatch(/^application\/json/);
    }
  });

  it('answers a missing file below assets/ with the page, as Express does', async () => {
    const [fromFastify, fromExpress] = await Promise.all([fetch(`${fastifyUrl}/admin/audit/assets/gone.js`), fetch(`${expressUrl}/admin/audit/assets/gone.js`)]);
    expect([fromFastify.status, await fromFastify.text()]).toEqual([fromExpress.status, await fromExpress.text()]);
  });

  it('leaves other methods and paths to the application', async () => {
    expect(await (await fetch(`${fastifyUrl}/admin/audit/`, { method: 'POST' })).text()).toBe('the application\'s own 404');
    expect(await (await fetch(`${fastifyUrl}/admin/other`)).text()).toBe('the application\'s own 404');
    expect(await (await fetch(`${fastifyUrl}/own-route`)).json()).toEqual({ mine: true });
  });

  it('reads the page at each request, and gives a missing page to the application\'s error handler as a 404', async () => {
    const next = PAGE.replace('app.js', 'app-2.js');
    writeFileSync(path.join(redeployed, 'index.html'), next);
    expect(await (await fetch(`${fastifyUrl}/redeployed/`)).text()).toBe(page('/redeployed/', next));
    rmSync(path.join(redeployed, 'index.html'));
    const missing = await fetch(`${fastifyUrl}/redeployed/`);
    expect([missing.status, await missing.text()]).toEqual([404, 'the application\'s own error 404']);
    expect((await fetch(`${fastifyUrl}/redeployed/assets/app.js`)).status).toBe(200);
  });

  it('refuses a dashboard directory without index.html when registered', async () => {
    const app = Fastify();
    try {
      app.register(rowtrailFastifyPlugin, { pool: db.pool, authorize: () => true, dashboard: path.join(build, 'assets') });
      await expect(app.ready()).rejects.toThrow(`Rowtrail: the dashboard directory ${path.join(build, 'assets')} has no index.html (build the UI first, or omit dashboard)`);
    } finally {
      await app.close();
    }
  });
});

describe('the dashboard of rowtrailFastifyPlugin({ dashboard }) without a prefix', () => {
  it('names the root as base, and leaves the application\'s own routes to it', async () => {
    const app = Fastify();
    try {
      app.get('/own-route', async () => ({ mine: true }));
      await app.register(rowtrailFastifyPlugin, { pool: db.pool, authorize: () => true, dashboard: build });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      expect(await (await fetch(`${url}/`)).text()).toBe(page('/'));
      expect(await (await fetch(`${url}/records/public.customer`)).text()).toBe(page('/'));
      expect(await (await fetch(`${url}/assets/app.js`)).text()).toBe('console.log("dashboard")');
      expect(await (await fetch(`${url}/own-route`)).json()).toEqual({ mine: true });
      expect((await fetch(`${url}/api/tables`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
