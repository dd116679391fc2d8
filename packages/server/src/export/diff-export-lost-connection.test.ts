import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureTables } from '../query/history-fixture.test-support.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { parseExport } from './export-format.js';
import { prepareExport } from './diff-export.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('export_lost_connection');
  await createFixtureTables(db.pool);
  await db.pool.query(`INSERT INTO note (slug, body) SELECT 'n' || g, repeat('x', 100) FROM generate_series(1, 3000) g`);
});
afterAll(() => db.drop());

/** Reads a stream to its end: how it ended. */
/** What the last stream given to outcome() yielded before it ended. */
let received = '';

async function outcome(stream: Readable): Promise<string> {
  received = '';
  try {
    for await (const chunk of stream) received += chunk;
    return 'complete';
  } catch (error) {
    return `failed: ${(error as Error).message}`;
  }
}

/** Connections taken from the pool and not given back. */
const leased = () => db.pool.totalCount - db.pool.idleCount;

const terminate = (condition: string) => db.pool.query(
  `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND ${condition}`);

describe('an export whose connection is lost', () => {
  it('fails its stream, not the process, when the connection dies while the server builds a batch', async () => {
    const locker = await db.pool.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE rowtrail.note_history IN ACCESS EXCLUSIVE MODE'); // the first batch waits here
      const stream = await (await prepareExport(db.pool, { kind: 'filter', filter: { tables: ['note'] } })).open('ndjson');
      const ended = outcome(stream);
      await expect.poll(async () => (await terminate(`wait_event_type = 'Lock'`)).rowCount, { timeout: 10_000 }).toBe(1);
      // the server's FATAL message or the socket's reset, whichever node-pg hears first
      expect(await ended).toMatch(/^failed: .*(terminating connection|the export's database connection was lost)/);
      // what a reader kept of it ends on a whole line, and lacks the end a whole export has
      expect(received).toMatch(/\n$/);
      expect(() => parseExport(received, 'ndjson')).toThrow(/^incomplete export: it lacks its last line, \{"end":\{"eventCount":…\}\}, which a whole export ends with \(cut short\?\), after 0 event\(s\)$/);
      expect(leased()).toBe(1); // the locker's only: the export's connection was given back (and closed)
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
  });

  it('fails its stream, naming the lost connection, when it dies between open() and the first read', async () => {
    const stream = await (await prepareExport(db.pool, { kind: 'filter', filter: { tables: ['note'] } })).open('json');
    expect((await terminate(`state = 'idle in transaction'`)).rowCount).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300)); // node-pg hears of it before the first read
    expect(await outcome(stream)).toMatch(/^failed: Rowtrail: the export's database connection was lost: .*terminating connection/);
    expect(leased()).toBe(0); // given back (and closed)
    // the pool dropped the dead connection: the next export is whole
    let text = '';
    for await (const chunk of (await prepareExport(db.pool, { kind: 'filter', filter: { tables: ['note'] } })).stream('ndjson')) text += chunk;
    expect(text.trimEnd().split('\n')).toHaveLength(1 + 3000 + 1); // header, events, end
  });
});
