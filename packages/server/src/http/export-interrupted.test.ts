import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExport } from '../export/export-format.js';
import { createFixtureTables } from '../query/history-fixture.test-support.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { startServer, type RunningServer } from './standalone-server.js';

const TOKEN = 'interrupted-token-0123456789';
const BULK = 2000; // × 10 kB: far larger than the socket buffers, so a client that does not read stalls the export
let db: TestDatabase;
let pool: pg.Pool;
let server: RunningServer;
const unexpected: unknown[] = [];

beforeAll(async () => {
  db = await createTestDatabase('export_interrupted');
  await createFixtureTables(db.pool);
  await db.pool.query(`INSERT INTO note (slug, body) SELECT 'bulk' || g, repeat('x', 10000) FROM generate_series(1, ${BULK}) g`);
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  pool.on('error', () => undefined);
  server = await startServer({ pool, port: 0, token: TOKEN, onError: (error) => unexpected.push(error) });
});
afterAll(async () => {
  await server?.close();
  await pool?.end();
  await db.drop();
});

/** Starts a download and reads nothing of its body yet: the export stalls on backpressure, inside its transaction. */
function openStalled(path: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.get(server.url + path, { headers: { authorization: `Bearer ${TOKEN}` } }, resolve);
    request.on('error', reject);
  });
}

/** Reads a response to its end: 'complete' only when the server ended it properly (a cut chunked body is an error). */
async function readToEnd(response: http.IncomingMessage): Promise<{ outcome: 'complete' | 'cut'; body: string }> {
  let body = '';
  response.setEncoding('utf8');
  try {
    for await (const chunk of response) body += chunk;
    return { outcome: response.complete ? 'complete' : 'cut', body };
  } catch {
    return { outcome: 'cut', body };
  }
}

/** The server sessions of stalled exports (their suspended cursor's statement). */
const exportSessions = async () => (await db.pool.query<{ pid: number }>(
  `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'SELECT (''{"eventId":%'`)).rows;

describe('an export whose database connection is lost mid-download', () => {
  for (const format of ['json', 'ndjson'] as const) {
    it(`cuts the ${format} download short, and the server keeps serving (connection terminated while the client stalls)`, async () => {
      const response = await openStalled(`/api/export?format=${format}&table=note`);
      expect(response.statusCode).toBe(200);
      await expect.poll(async () => (await exportSessions()).length, { timeout: 10_000 }).toBe(1);
      // say, an administrator, a failover or idle_in_transaction_session_timeout ends the session of a slow download
      await db.pool.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) pid', [(await exportSessions()).map((s) => s.pid)]);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the server notices while its client still does not read

      const { outcome, body } = await readToEnd(response);
      expect(outcome).toBe('cut');
      if (format === 'json') expect(() => JSON.parse(body)).toThrow();

      // the server is still up, gave the slot and the connection back, and the next download is whole
      const again = await fetch(`${server.url}/api/export?format=ndjson&table=note`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(again.status).toBe(200);
      expect(parseExport(await again.text(), 'ndjson').events).toHaveLength(BULK);
      expect(unexpected).toEqual([]);
    });
  }
});
