// The dashboard served where an application mounts it, beside the API: its page names the mount point as its
// base, since the page loads its files and calls the API by relative URLs. Served from a stand-in build here;
// e2e/embedded-dashboard.spec.ts runs the real one in a browser.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { rowtrailRouter } from './express-router.js';
import { startServer, type RunningServer } from './standalone-server.js';

const PAGE = '<!doctype html><html><head><script type="module" src="./assets/app.js"></script></head><body><div id="root"></div></body></html>';
let db: TestDatabase;
let build: string;
let app: Server;
let appUrl: string;
let standalone: RunningServer;

beforeAll(async () => {
  db = await createTestDatabase('dashboard_mount');
  await install(db.pool);
  build = mkdtempSync(path.join(tmpdir(), 'rowtrail-dashboard-'));
  mkdirSync(path.join(build, 'assets'));
  writeFileSync(path.join(build, 'index.html'), PAGE);
  writeFileSync(path.join(build, 'assets', 'app.js'), 'console.log("dashboard")');
  const application = express();
  application.use('/admin/history', rowtrailRouter({ pool: db.pool, authorize: (request) => request.headers['x-role'] === 'auditor', dashboard: build }));
  application.use((_request, response) => { response.status(404).send('the application\'s own 404'); });
  app = await new Promise<Server>((resolve) => { const s = application.listen(0, '127.0.0.1', () => resolve(s)); });
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  standalone = await startServer({ pool: db.pool, port: 0, token: 'dashboard-mount-token', staticDir: build });
});
afterAll(async () => {
  await new Promise((resolve) => app?.close(resolve));
  await standalone?.close();
  await db.drop();
});

const page = (base: string) => PAGE.replace('<head>', `<head><base href="${base}">`);

describe('the dashboard mounted by rowtrailRouter({ dashboard })', () => {
  it('answers its page, naming the mount point as base, at the mount point with or without a slash and at any client path', async () => {
    for (const at of ['/admin/history', '/admin/history/', '/admin/history/records/public.customer?key=1']) {
      const response = await fetch(`${appUrl}${at}`);
      expect(response.status, at).toBe(200);
      expect(response.headers.get('content-type'), at).toMatch(/^text\/html/);
      expect(await response.text(), at).toBe(page('/admin/history/'));
    }
  });

  it('serves its files without authorization, and keeps the API behind authorize()', async () => {
    const script = await fetch(`${appUrl}/admin/history/assets/app.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toBe('console.log("dashboard")');
    expect((await fetch(`${appUrl}/admin/history/api/tables`)).status).toBe(401);
    expect((await fetch(`${appUrl}/admin/history/api/tables`, { headers: { 'x-role': 'auditor' } })).status).toBe(200);
    // an unknown API path is the API's 404, never the page
    const unknown = await fetch(`${appUrl}/admin/history/api/nope`, { headers: { 'x-role': 'auditor' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('leaves other methods and paths to the application', async () => {
    expect(await (await fetch(`${appUrl}/admin/history/`, { method: 'POST' })).text()).toBe('the application\'s own 404');
    expect(await (await fetch(`${appUrl}/admin/other`)).text()).toBe('the application\'s own 404');
  });

  it('refuses a dashboard directory without index.html when the router is made', () => {
    expect(() => rowtrailRouter({ pool: db.pool, authorize: () => true, dashboard: path.join(build, 'assets') }))
      .toThrow(`Rowtrail: the dashboard directory ${path.join(build, 'assets')} has no index.html (build the UI first, or omit dashboard)`);
  });
});

describe('the dashboard of startServer({ staticDir })', () => {
  it('names the root as base, on GET and HEAD of any client path', async () => {
    expect(await (await fetch(`${standalone.url}/`)).text()).toBe(page('/'));
    expect(await (await fetch(`${standalone.url}/records/public.customer`)).text()).toBe(page('/'));
    const head = await fetch(`${standalone.url}/records/public.customer`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
