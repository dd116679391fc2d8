import { randomUUID } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { lockWaitingBackend } from '../testing/lock-waiter.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { startServer, type RunningServer } from './standalone-server.js';

// A request whose client goes away is given up: its running statement cancelled, a queued one never run.
// The slow statements here are ones waiting for a lock the test holds (on Rowtrail's registry, or its contexts).
const TOKEN = 'abort-token-0123456789';
const APP = 'rowtrail-request-abort-test';
let db: TestDatabase;
let pool: pg.Pool;
let server: RunningServer;
const unexpected: unknown[] = [];
const lockers: pg.Client[] = [];

beforeAll(async () => {
  db = await createTestDatabase('request_abort');
  await db.pool.query('CREATE TABLE item (id integer PRIMARY KEY, v text)');
  await install(db.pool, [idValueSpec('item')]);
  await db.pool.query(`INSERT INTO item VALUES (1, 'a')`);
  // one connection: a second request waits for it
  pool = new pg.Pool({ connectionString: db.url, max: 1, application_name: APP });
  pool.on('error', () => undefined);
  server = await startServer({ pool, port: 0, token: TOKEN, onError: (error) => unexpected.push(error) });
});
afterEach(async () => {
  for (const locker of lockers.splice(0)) await locker.end().catch(() => undefined);
});
afterAll(async () => {
  await server?.close();
  await pool?.end();
  await db.drop();
});

/** Holds an exclusive lock on a table of Rowtrail's until the test ends. */
async function lock(table: string): Promise<pg.Client> {
  const locker = new pg.Client(db.url);
  lockers.push(locker);
  await locker.connect();
  await locker.query(`BEGIN; LOCK TABLE rowtrail.${table} IN ACCESS EXCLUSIVE MODE`);
  return locker;
}

/** Sends a request; `abort` closes its connection, `response` its answer when one comes. */
function send(path: string): { abort: () => void; response: Promise<{ status: number; body: string }> } {
  const request = http.get(server.url + path, { headers: { authorization: `Bearer ${TOKEN}` }, agent: false });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (answer) => {
      let body = '';
      answer.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: answer.statusCode!, body }));
    });
    request.on('error', reject);
  });
  response.catch(() => undefined);
  return { abort: () => request.destroy(), response };
}

/** The answer, or a failure after `ms` (a request stuck behind an abandoned one waits as long as the lock is held). */
const within = <T>(promise: Promise<T>, ms: number): Promise<T> => Promise.race([
  promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)),
]);

const backend = async (pid: number) =>
  (await db.pool.query<{ state: string; wait: string | null }>('SELECT state, wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0];
const lockWaiters = async () =>
  (await db.pool.query(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock' AND datname = current_database()`, [APP])).rows.length;

describe('a request whose client went away', () => {
  it('has its running statement cancelled, and its connection closed', async () => {
    const locker = await lock('tracked_table');
    const slow = send('/api/tables');
    const pid = await lockWaitingBackend(db.pool, APP);
    slow.abort();
    // without a cancel, it would wait for the lock for as long as the test holds it
    await expect.poll(() => backend(pid), { timeout: 5000, interval: 50 }).toBeUndefined();
    await locker.query('ROLLBACK');
    const next = await within(send('/api/tables').response, 5000);
    expect(next.status).toBe(200);
    expect(unexpected).toEqual([]);
  });

  it('never runs its query when it was still waiting for a connection', async () => {
    const registry = await lock('tracked_table');
    await lock('context'); // what the request for a context reads, and the other one does not
    const first = send('/api/tables');
    await lockWaitingBackend(db.pool, APP); // holding the pool's one connection
    const queued = send(`/api/contexts/${randomUUID()}`);
    await new Promise((resolve) => setTimeout(resolve, 200)); // it reached the server, and waits
    queued.abort();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await registry.query('ROLLBACK');
    // had the abandoned request run first, the other one would wait behind it for the pool's connection
    expect((await within(first.response, 5000)).status).toBe(200);
    // had it run, it would be waiting for the lock on rowtrail.context now
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await lockWaiters()).toBe(0);
    expect(unexpected).toEqual([]);
  });
});
