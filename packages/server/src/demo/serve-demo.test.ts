// The demo prints the link to its dashboard. A token it generated goes into that link (a fragment, never sent to the
// server); a configured one (--token, $ROWTRAIL_TOKEN) is the operator's secret and never printed, as `rowtrail serve`
// never prints it: terminals and CI logs keep what the demo writes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import type { DemoOptions } from './demo-options.js';
import { serveDemo } from './serve-demo.js';

let db: TestDatabase;
let build: string;
const options = (token: string | undefined): DemoOptions =>
  ({ serve: true, port: 0, strictPort: true, host: '127.0.0.1', database: 'unused', token, dropDatabaseOnExit: false });

beforeAll(async () => {
  db = await createTestDatabase('serve_demo');
  await install(db.pool);
  build = mkdtempSync(path.join(tmpdir(), 'rowtrail-dashboard-'));
  writeFileSync(path.join(build, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
});
afterAll(async () => {
  await db.drop();
  if (build) rmSync(build, { recursive: true, force: true });
});

const serve = async (token: string | undefined) => {
  const lines: string[] = [];
  const server = await serveDemo(db.url, options(token), (line) => lines.push(line), build);
  return { server, printed: lines.join('\n') };
};
const tablesStatus = async (url: string, token: string) => (await fetch(`${url}/api/tables`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('the demo\'s dashboard link', () => {
  it('never prints a configured token, and says where the token comes from', async () => {
    const token = 'operator-secret-token-42';
    const { server, printed } = await serve(token);
    try {
      expect(printed).not.toContain(token);
      expect(printed).toContain(`Rowtrail dashboard: ${server.url}/ (sign in with the configured token: --token or $ROWTRAIL_TOKEN)`);
      expect(await tablesStatus(server.url, token)).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('carries a generated token in the link, which signs in', async () => {
    const { server, printed } = await serve(undefined);
    try {
      expect(printed).toContain(`Rowtrail dashboard: ${server.url}/#token=${encodeURIComponent(server.token)}`);
      expect(await tablesStatus(server.url, server.token)).toBe(200);
    } finally {
      await server.close();
    }
  });
});
