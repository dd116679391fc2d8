import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { install } from '../install/installer.js';
import { startServer, type RunningServer } from './standalone-server.js';

// Installed with pnpm, the packed dashboard lives under node_modules/.pnpm/…/@rowtrail/server/ui: a path with a
// dot-directory in it, which `send` (behind express's sendFile) refuses as a dotfile unless the file is resolved
// against a root that holds it.
let db: TestDatabase;
let server: RunningServer;
const base = mkdtempSync(path.join(tmpdir(), 'rowtrail-ui-'));
const dashboard = path.join(base, 'node_modules', '.pnpm', '@rowtrail+server@0.1.0', 'node_modules', '@rowtrail', 'server', 'ui');

beforeAll(async () => {
  db = await createTestDatabase('standalone_server');
  mkdirSync(path.join(dashboard, 'assets'), { recursive: true });
  writeFileSync(path.join(dashboard, 'index.html'), '<!doctype html><title>Rowtrail</title>');
  writeFileSync(path.join(dashboard, 'assets', 'app.js'), 'console.log(1)');
  server = await startServer({ pool: db.pool, port: 0, staticDir: dashboard });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
  rmSync(base, { recursive: true, force: true });
});

describe('dashboard in a directory below a dot-directory (a pnpm install)', () => {
  it('serves its files and falls back to index.html for other non-API paths', async () => {
    expect(await (await fetch(`${server.url}/assets/app.js`)).text()).toBe('console.log(1)');
    expect(await (await fetch(`${server.url}/`)).text()).toContain('<title>Rowtrail</title>');
    for (const route of ['/records/public.account', '/tables/public.account/records/1', '/assets/missing.js']) {
      const response = await fetch(server.url + route);
      expect(response.status, route).toBe(200);
      expect(await response.text(), route).toContain('<title>Rowtrail</title>');
    }
    const head = await fetch(`${server.url}/records/public.account`, { method: 'HEAD' }); // as GET, without the body
    expect([head.status, head.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const api = await fetch(`${server.url}/api/nope`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(api.status).toBe(404);
    expect((await api.json()).error.code).toBe('not_found');
  });
});

describe('errors outside the API', () => {
  it('answer JSON without a stack trace or local paths (index.html gone during a redeploy)', async () => {
    rmSync(path.join(dashboard, 'index.html'));
    const response = await fetch(`${server.url}/records/public.account`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: { code: 'not_found', message: 'Not Found' } });
    expect(body).not.toContain(base);
  });
});

describe('export links across servers', () => {
  it('a link one server signs downloads from another given the same linkSecret, and only there', async () => {
    await db.pool.query(`CREATE TABLE IF NOT EXISTS shared_link (id int PRIMARY KEY, v text)`);
    await install(db.pool, [{ schema: 'public', table: 'shared_link', primaryKey: ['id'], label: 'shared_link', exclude: [], ignoreChanges: [], columns: [{ name: 'id', type: 'integer' }, { name: 'v', type: 'text' }] }]);
    await db.pool.query(`INSERT INTO shared_link VALUES (1, 'a')`);
    const linkSecret = 'secret-of-every-server-behind-the-balancer';
    const servers = await Promise.all([linkSecret, linkSecret, undefined].map((secret) => startServer({ pool: db.pool, port: 0, token: 'token-of-the-api', linkSecret: secret })));
    try {
      const [signer, sibling, stranger] = servers;
      const response = await fetch(`${signer.url}/api/export/link?table=shared_link&format=ndjson`, { headers: { authorization: 'Bearer token-of-the-api' } });
      const { url } = (await response.json()) as { url: string };
      const download = await fetch(`${sibling.url}${url}`);
      expect(download.status).toBe(200);
      expect(await download.text()).toContain('"operation":"INSERT"');
      expect((await fetch(`${stranger.url}${url}`)).status).toBe(401);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
    await expect(startServer({ pool: db.pool, port: 0, linkSecret: 'too-short' })).rejects.toThrow('linkSecret must be a string of at least 16 characters');
  });
});

describe('who may read: a token or authorize()', () => {
  it('returns no token when authorize() decides, and refuses both (the token would never be accepted)', async () => {
    const decided = await startServer({ pool: db.pool, port: 0, authorize: (request) => request.headers['x-role'] === 'auditor' });
    try {
      expect([decided.token, decided.tokenGenerated]).toEqual([undefined, false]);
      expect((await fetch(`${decided.url}/api/tables`, { headers: { 'x-role': 'auditor' } })).status).toBe(200);
    } finally {
      await decided.close();
    }
    await expect(startServer({ pool: db.pool, port: 0, token: 'a-token-of-its-own', authorize: () => true }))
      .rejects.toThrow(/takes `token` or `authorize`, not both: `authorize` decides alone/);
  });
});
