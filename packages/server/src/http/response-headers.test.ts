// Every answer of the API (data, errors, exports) is sent with Cache-Control: no-store, so no browser or proxy keeps a
// record's history (an API behind a cookie session especially), and with the headers that keep a browser from sniffing,
// framing or rendering it; the dashboard's page and files with a Content-Security-Policy the built dashboard works with
// (e2e checks it in a browser), and the same frame, sniffing and referrer protections. Alike for startServer(), the
// Express router and the Fastify plugin.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureTables, writeScriptedHistory } from '../query/history-fixture.test-support.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { rowtrailRouter } from './express-router.js';
import { rowtrailFastifyPlugin } from './fastify-plugin.js';
import { startServer, type RunningServer } from './standalone-server.js';

const TOKEN = 'headers-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
let db: TestDatabase;
let build: string;
let standalone: RunningServer;
let expressServer: Server;
let fastify: FastifyInstance;
const bases: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase('response_headers');
  await createFixtureTables(db.pool);
  await writeScriptedHistory(db.pool);
  build = mkdtempSync(path.join(tmpdir(), 'rowtrail-dashboard-'));
  mkdirSync(path.join(build, 'assets'));
  writeFileSync(path.join(build, 'index.html'), '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body></body></html>');
  writeFileSync(path.join(build, 'assets', 'app.js'), 'console.log("dashboard")');

  standalone = await startServer({ pool: db.pool, port: 0, token: TOKEN, staticDir: build });
  bases.startServer = standalone.url;
  const app = express();
  app.use('/admin/audit', rowtrailRouter({ pool: db.pool, token: TOKEN, dashboard: build }));
  expressServer = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  bases.express = `http://127.0.0.1:${(expressServer.address() as AddressInfo).port}/admin/audit`;
  fastify = Fastify();
  await fastify.register(rowtrailFastifyPlugin, { prefix: '/admin/audit', pool: db.pool, token: TOKEN, dashboard: build });
  bases.fastify = `${await fastify.listen({ port: 0, host: '127.0.0.1' })}/admin/audit`;
});
afterAll(async () => {
  await standalone?.close();
  await new Promise((resolve) => expressServer?.close(resolve));
  await fastify?.close();
  await db.drop();
  if (build) rmSync(build, { recursive: true, force: true });
});

const PROTECTIONS = ['x-content-type-options', 'x-frame-options', 'referrer-policy', 'content-security-policy'];
const headersOf = (response: Response, names: string[]) => Object.fromEntries(names.map((name) => [name, response.headers.get(name)]));

describe.each(['startServer', 'express', 'fastify'])('answers of the API through %s', (via) => {
  it('are never stored, sniffed, framed or rendered: data, errors and exports alike', async () => {
    const base = bases[via];
    const answers: Array<[string, Response]> = [];
    const get = async (what: string, pathAndQuery: string, init: RequestInit = { headers: auth }) => {
      const response = await fetch(`${base}${pathAndQuery}`, init);
      await response.arrayBuffer();
      answers.push([what, response]);
      return response;
    };
    expect((await get('events', '/api/events?limit=1')).status).toBe(200);
    expect((await get('history', `/api/history?table=account&key=${encodeURIComponent('{"id":1}')}`)).status).toBe(200);
    expect((await get('tables', '/api/tables')).status).toBe(200);
    expect((await get('bad parameter', '/api/events?limit=0')).status).toBe(400);
    expect((await get('no token', '/api/events', {})).status).toBe(401);
    expect((await get('unknown path', '/api/nope')).status).toBe(404);
    expect((await get('not allowed', '/api/events', { method: 'POST', headers: auth })).status).toBe(405);
    expect((await get('health', '/api/health', {})).status).toBe(200);
    expect((await get('export', '/api/export?table=account&format=ndjson')).status).toBe(200);
    expect((await get('export HEAD', '/api/export?table=account', { method: 'HEAD', headers: auth })).status).toBe(200);
    for (const [what, response] of answers) {
      expect(headersOf(response, ['cache-control', ...PROTECTIONS]), `${via}: ${what}`).toEqual({
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      });
    }
  });
});

describe.each(['startServer', 'express', 'fastify'])('the dashboard through %s', (via) => {
  it('is sent with a Content-Security-Policy and frame, sniffing and referrer protections, its page and its files', async () => {
    const base = bases[via];
    for (const at of ['/', '/records/public.account', '/assets/app.js', '/index.html']) {
      const response = await fetch(`${base}${at}`);
      expect(response.status, `${via} ${at}`).toBe(200);
      expect(headersOf(response, PROTECTIONS), `${via} ${at}`).toEqual({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'same-origin',
        'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
      });
    }
    // the page is revalidated at each load, as before
    expect((await fetch(`${base}/`)).headers.get('cache-control')).toBe('no-cache');
  });
});

describe('the answers of startServer() outside the API', () => {
  it('are never stored or sniffed either (a method the dashboard does not answer)', async () => {
    const response = await fetch(`${standalone.url}/`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(headersOf(response, ['cache-control', 'x-content-type-options', 'x-frame-options'])).toEqual({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
  });
});
