import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExport } from '../export/export-format.js';
import { createFixtureTables, writeScriptedHistory } from '../query/history-fixture.test-support.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { startServer, type RunningServer } from './standalone-server.js';

const TOKEN = 'limits-token-0123456789';
const BULK = 2000; // × 10 kB: an export far larger than the socket buffers, so a client that does not read stalls it
let db: TestDatabase;
let pool: pg.Pool;
let server: RunningServer;
const unexpected: unknown[] = [];

beforeAll(async () => {
  db = await createTestDatabase('export_limits');
  await createFixtureTables(db.pool);
  await writeScriptedHistory(db.pool);
  await db.pool.query(`INSERT INTO note (slug, body) SELECT 'bulk' || g, repeat('x', 10000) FROM generate_series(1, ${BULK}) g`);
  // as `rowtrail serve` once had it: a small pool that gives up waiting for a connection after a while
  pool = new pg.Pool({ connectionString: db.url, max: 4, connectionTimeoutMillis: 1500 });
  pool.on('error', () => undefined);
  server = await startServer({ pool, port: 0, token: TOKEN, onError: (error) => unexpected.push(error) });
});
afterAll(async () => {
  await server?.close();
  await pool?.end();
  await db.drop();
});

interface Opened { status: number; headers: http.IncomingHttpHeaders; response: http.IncomingMessage }

/** Starts a download and reads nothing of its body: the server stalls on backpressure. */
function openStalled(path: string): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const request = http.get(server.url + path, { headers: { authorization: `Bearer ${TOKEN}` } }, (response) =>
      resolve({ status: response.statusCode!, headers: response.headers, response }));
    request.on('error', reject);
  });
}

async function readBody(response: http.IncomingMessage): Promise<string> {
  let body = '';
  response.setEncoding('utf8');
  for await (const chunk of response) body += chunk;
  return body;
}

const get = (path: string) => fetch(server.url + path, { headers: { authorization: `Bearer ${TOKEN}` } });
/** Other sessions inside a transaction: the downloads' snapshots (a suspended cursor shows as "active"). */
const openTransactions = async () => (await db.pool.query(
  `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid()`)).rows[0].n as number;

describe('export downloads and the connection pool', () => {
  it('stalled downloads take at most their share of connections; more are answered 503 with Retry-After', async () => {
    const downloads = await Promise.all(Array.from({ length: 4 }, () => openStalled('/api/export?format=ndjson&table=note')));
    try {
      expect(downloads.map((d) => d.status).sort()).toEqual([200, 200, 503, 503]); // default limit: half of the pool's 4
      for (const refused of downloads.filter((d) => d.status === 503)) {
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect(JSON.parse(await readBody(refused.response)).error.code).toBe('too_many_exports');
      }
      // a download link asked for now would be refused when followed: refused now, where the dashboard can say why
      const link = await get('/api/export/link?format=ndjson&table=note');
      expect([link.status, Number(link.headers.get('retry-after')) > 0, (await link.json()).error.code]).toEqual([503, true, 'too_many_exports']);
      await expect.poll(openTransactions, { timeout: 20_000 }).toBe(2); // the two downloads hold their snapshot, stalled

      // every other endpoint keeps working while they stall
      for (let i = 0; i < 5; i++) {
        for (const path of ['/api/events?limit=5', '/api/tables', `/api/history?table=account&key=${encodeURIComponent('{"id":1}')}`]) {
          const response = await get(path);
          expect([path, response.status]).toEqual([path, 200]);
          await response.text();
        }
      }
    } finally {
      for (const d of downloads) d.response.destroy();
    }
    // the slots and connections come back once the stalled clients go away
    await expect.poll(openTransactions, { timeout: 20_000 }).toBe(0);
    await expect.poll(async () => {
      const response = await get('/api/export?format=ndjson&table=note');
      const text = await response.text();
      return response.status === 200 ? parseExport(text, 'ndjson').events.length : response.status;
    }, { timeout: 20_000 }).toBe(BULK + 2);
    expect(unexpected).toEqual([]);
  });

  it('gives a download\'s connection back at once when its client leaves while the server still builds a batch', async () => {
    const locker = await db.pool.connect();
    try {
      // the downloads' first batch waits for this lock: a batch the server is building
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE rowtrail.note_history IN ACCESS EXCLUSIVE MODE');
      const downloads = await Promise.all([1, 2].map(() => openStalled('/api/export?format=ndjson&table=note')));
      expect(downloads.map((d) => d.status)).toEqual([200, 200]);
      const waiting = async () => (await db.pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n as number;
      await expect.poll(waiting, { timeout: 10_000 }).toBe(2);
      for (const d of downloads) d.response.destroy();
      // their statements are cancelled and their transactions end, with the lock still held (only the locker's is left)
      await expect.poll(openTransactions, { timeout: 5_000 }).toBe(1);
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
    const response = await get('/api/export?format=ndjson&table=note');
    expect([response.status, parseExport(await response.text(), 'ndjson').events.length]).toEqual([200, BULK + 2]);
    expect(unexpected).toEqual([]);
  });

  it('answers 503 with Retry-After, not 500, when no connection is free', async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => pool.connect()));
    try {
      for (const path of ['/api/events', '/api/tables', '/api/export?table=account', '/api/export/link?table=account']) {
        const response = await get(path);
        expect([path, response.status]).toEqual([path, 503]);
        expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
        expect((await response.json()).error.code).toBe('unavailable');
      }
    } finally {
      for (const client of held) client.release();
    }
    expect((await get('/api/tables')).status).toBe(200);
    expect(unexpected).toEqual([]);
  });

  it('streams downloads from a separate export pool when given one', async () => {
    const exportPool = new pg.Pool({ connectionString: db.url, max: 1, connectionTimeoutMillis: 1500 });
    exportPool.on('error', () => undefined);
    const apiPool = new pg.Pool({ connectionString: db.url, max: 1, connectionTimeoutMillis: 1500 });
    const separate = await startServer({ pool: apiPool, exportPool, port: 0, token: TOKEN, onError: (error) => unexpected.push(error) });
    try {
      const open = (path: string) => new Promise<Opened>((resolve, reject) => {
        http.get(separate.url + path, { headers: { authorization: `Bearer ${TOKEN}` } }, (response) =>
          resolve({ status: response.statusCode!, headers: response.headers, response })).on('error', reject);
      });
      const stalled = await open('/api/export?format=ndjson&table=note');
      try {
        expect(stalled.status).toBe(200);
        const second = await open('/api/export?format=ndjson&table=note');
        expect(second.status).toBe(503); // the export pool's one connection is taken
        await readBody(second.response);
        expect((await fetch(`${separate.url}/api/tables`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200); // the API's own pool is free
      } finally {
        stalled.response.destroy();
      }
    } finally {
      await separate.close();
      await apiPool.end();
      await exportPool.end();
    }
    expect(unexpected).toEqual([]);
  });

  it('cuts off a download that streams longer than maxExportSeconds, closing its snapshot (which holds back VACUUM)', async () => {
    const limitedPool = new pg.Pool({ connectionString: db.url, max: 2 });
    limitedPool.on('error', () => undefined);
    const limited = await startServer({ pool: limitedPool, port: 0, token: TOKEN, maxExportSeconds: 1, onError: (error) => unexpected.push(error) });
    try {
      const before = await openTransactions();
      const stalled = await new Promise<Opened>((resolve, reject) => {
        http.get(`${limited.url}/api/export?format=ndjson&table=note`, { headers: { authorization: `Bearer ${TOKEN}` } }, (response) =>
          resolve({ status: response.statusCode!, headers: response.headers, response })).on('error', reject);
      });
      expect(stalled.status).toBe(200);
      expect(await openTransactions()).toBe(before + 1);
      // the client never reads: at the limit the server ends the export's transaction and closes the response
      await expect.poll(openTransactions, { timeout: 10_000 }).toBe(before);
      // what the client then reads ends early: the connection was closed mid-body
      await expect(readBody(stalled.response)).rejects.toThrow(/aborted|ECONNRESET|socket hang up/);
      expect(limited.server.listening).toBe(true);
    } finally {
      await limited.close();
      await limitedPool.end();
    }
    expect(unexpected).toEqual([]);
  });

  it('refuses a maxExportSeconds that is not a positive number of seconds', async () => {
    for (const bad of [0, -1, Number.NaN, '60' as unknown as number]) {
      await expect(startServer({ pool, port: 0, token: TOKEN, maxExportSeconds: bad })).rejects.toThrow(/maxExportSeconds:? must be a number/);
    }
  });
});
