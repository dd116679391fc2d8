// createApiHandler() behind a plain Node server of the application's own, its results written by writeApiResult(): the
// same answers as the bundled adapters, numbers beyond a double's precision kept (JSON.stringify of the body would not).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler, writeApiResult } from '../core.js';
import { BIG_ID, createFixtureTables, writeScriptedHistory } from '../query/history-fixture.test-support.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

let db: TestDatabase;
let server: Server;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase('own_node_server');
  await createFixtureTables(db.pool);
  await writeScriptedHistory(db.pool);
  const handle = createApiHandler({ pool: db.pool, authorize: () => true });
  server = createServer((request, response) => {
    const url = request.url ?? '/';
    if (!url.startsWith('/history/')) return void response.writeHead(404).end();
    void handle(request, url.slice('/history'.length), '/history').then((result) => writeApiResult(response, result, request.method));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/history`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await db?.drop();
});

describe('createApiHandler() in a Node server of the application\'s own', () => {
  it('answers with exact numbers when its results are written with writeApiResult(), JSON and streamed exports alike', async () => {
    const text = await (await fetch(`${base}/api/events?table=ledger&limit=1`)).text();
    expect(text).toMatch(new RegExp(`"recordKey":\\{"id": ?${BIG_ID}\\}`)); // the number, not a string of it
    const exported = await fetch(`${base}/api/export?table=ledger&format=ndjson`);
    expect(exported.status).toBe(200);
    expect(await exported.text()).toMatch(new RegExp(`"recordKey":\\{"id": ?${BIG_ID}\\}`));
    const head = await fetch(`${base}/api/tables`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });
});
