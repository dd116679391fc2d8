import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import pg from 'pg';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExport } from '../export/export-format.js';
import { activityFeed } from '../query/activity-feed.js';
import { createFixtureTables, writeScriptedHistory } from '../query/history-fixture.test-support.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { readApiJson, withoutKeyText } from './api-json.test-support.js';
import { rowtrailRouter } from './express-router.js';
import { rowtrailFastifyPlugin } from './fastify-plugin.js';

let db: TestDatabase;
let expressServer: Server;
let expressUrl: string;
let fastify: FastifyInstance;
let fastifyUrl: string;

beforeAll(async () => {
  db = await createTestDatabase('http_embedding');
  await createFixtureTables(db.pool);
  await writeScriptedHistory(db.pool);

  const app = express();
  app.get('/own-route', (_req, res) => res.json({ mine: true }));
  // The embedding app decides who may read history, e.g. from its own session.
  app.use('/elsewhere', rowtrailRouter({ pool: db.pool, schema: 'not_installed_here', authorize: () => true }));
  app.use('/admin', rowtrailRouter({ pool: db.pool, authorize: (request) => request.headers['x-role'] === 'auditor' }));
  expressServer = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  expressUrl = `http://127.0.0.1:${(expressServer.address() as AddressInfo).port}`;

  fastify = Fastify();
  await fastify.register(rowtrailFastifyPlugin, { prefix: '/history', pool: db.pool, token: 'fastify-token-123' });
  fastifyUrl = await fastify.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await new Promise((resolve) => expressServer?.close(resolve));
  await fastify?.close();
  await db.drop();
});

describe('Express router with an authorize hook', () => {
  it('mounts under a prefix, leaves other routes alone, and asks the hook', async () => {
    expect(await (await fetch(`${expressUrl}/own-route`)).json()).toEqual({ mine: true });
    // refused by the application's authorize(): no token to ask for (no Bearer challenge), sign in to the application
    const refused = await fetch(`${expressUrl}/admin/api/events`);
    expect([refused.status, refused.headers.get('www-authenticate'), (await refused.json()).error]).toEqual([401, null, {
      code: 'unauthorized', auth: 'application', message: 'not authorized: the application serving this API refused the request (sign in to it)',
    }]);
    expect((await fetch(`${expressUrl}/admin/api/events`, { headers: { 'x-role': 'guest' } })).status).toBe(401);
    const response = await fetch(`${expressUrl}/admin/api/events?table=note`, { headers: { 'x-role': 'auditor' } });
    expect(response.status).toBe(200);
    expect(withoutKeyText((await readApiJson(response)).events)).toEqual((await activityFeed(db.pool, { tables: ['note'] })).events);
    const link = await (await fetch(`${expressUrl}/admin/api/export/link?table=note`, { headers: { 'x-role': 'auditor' } })).json();
    expect(link.url).toMatch(/^\/admin\/api\/export\?table=note&expires=/);
    expect((await fetch(expressUrl + link.url)).status).toBe(200);
    const bad = await fetch(`${expressUrl}/admin/api/events?limit=0`, { headers: { 'x-role': 'auditor' } });
    expect([bad.status, (await bad.json()).error.parameter]).toEqual([400, 'limit']);
  });

  it('answers 503 not_installed when the schema holds no Rowtrail install', async () => {
    const response = await fetch(`${expressUrl}/elsewhere/api/events`);
    expect(response.status).toBe(503);
    expect((await response.json()).error).toMatchObject({ code: 'not_installed', message: expect.stringContaining('schema "not_installed_here"') });
  });

  it('refuses to build without token or authorize (authentication on by default)', () => {
    expect(() => rowtrailRouter({ pool: db.pool })).toThrow(/token.*authorize/);
  });

  it('refuses token and authorize together (authorize decides alone: the token would never be accepted)', () => {
    expect(() => rowtrailRouter({ pool: db.pool, token: 'a-token-of-its-own', authorize: () => true })).toThrow(/`token` or `authorize`, not both/);
  });
});

describe('Fastify plugin', () => {
  it('serves the API under its prefix with a bearer token, streaming exports', async () => {
    expect((await fetch(`${fastifyUrl}/history/api/tables`)).status).toBe(401);
    expect((await fetch(`${fastifyUrl}/history/api/tables`, { headers: { authorization: 'Bearer nope-nope-nope' } })).status).toBe(401);
    const auth = { authorization: 'Bearer fastify-token-123' };
    const tables = await (await fetch(`${fastifyUrl}/history/api/tables`, { headers: auth })).json();
    expect(tables.tables.map((t: { table: string }) => t.table)).toEqual(['public.account', 'public.ledger', 'public.note']);
    const exported = await fetch(`${fastifyUrl}/history/api/export?format=ndjson&operation=DELETE`, { headers: auth });
    expect(exported.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="rowtrail-events-.*\.ndjson"$/);
    const body = parseExport(await exported.text(), 'ndjson');
    expect(body.events).toEqual((await activityFeed(db.pool, { operations: ['DELETE'] })).events);
    const bad = await fetch(`${fastifyUrl}/history/api/history?table=account`, { headers: auth });
    expect([bad.status, (await bad.json()).error]).toEqual([400, { code: 'invalid_parameter', parameter: 'key', message: 'key: is required' }]);
  });

  it('answers HEAD of an export with its headers without running it, and other methods with 405', async () => {
    // an export pool of its own, whose connections record what they are sent
    const exportPool = new pg.Pool({ connectionString: db.url, max: 1 });
    const sent: string[] = [];
    exportPool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      client.query = ((...args: unknown[]) => {
        const first = args[0] as string | { text?: string };
        sent.push(typeof first === 'string' ? first : first?.text ?? '');
        return query(...args);
      }) as typeof client.query;
    });
    const app = Fastify();
    try {
      await app.register(rowtrailFastifyPlugin, { pool: db.pool, exportPool, token: 'fastify-token-123' });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const auth = { authorization: 'Bearer fastify-token-123' };
      for (let i = 0; i < 3; i++) {
        const head = await fetch(`${url}/api/export?format=ndjson`, { method: 'HEAD', headers: auth });
        expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, 'application/x-ndjson; charset=utf-8', '']);
      }
      expect(sent.filter((text) => text === 'COMMIT')).toEqual([]); // no export was read to its end
      const full = await fetch(`${url}/api/export?format=ndjson`, { headers: auth }); // its one slot and connection are free
      expect([full.status, parseExport(await full.text(), 'ndjson').events.length > 0]).toEqual([200, true]);
      expect(sent.filter((text) => text === 'COMMIT')).toHaveLength(1);
      const options = await fetch(`${url}/api/events`, { method: 'OPTIONS', headers: auth });
      expect([options.status, options.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    } finally {
      await app.close();
      await exportPool.end();
    }
  });
});

describe('signed export links', () => {
  it('open the export of the mount that made them only, even when mounts share a link secret', async () => {
    const app = express();
    for (const tenant of ['a', 'b']) {
      app.use(`/tenant-${tenant}`, rowtrailRouter({ pool: db.pool, linkSecret: 'shared-secret-of-both-tenants', authorize: (request) => request.headers['x-tenant'] === tenant }));
    }
    const server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const link = await (await fetch(`${base}/tenant-a/api/export/link?table=note`, { headers: { 'x-tenant': 'a' } })).json();
      expect((await fetch(base + link.url)).status).toBe(200);
      const moved = await fetch(base + link.url.replace('/tenant-a/', '/tenant-b/'));
      expect([moved.status, (await moved.json()).error.parameter]).toEqual([401, 'signature']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
