import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextDriver } from '../context/pg-context-driver.js';
import { createContext, createLiveContext, run } from '../context/request-context.js';
import { prepareExport } from '../export/diff-export.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { activityFeed } from './activity-feed.js';

// A context id may have several rowtrail.context rows (one per connection that wrote in it), and a live context's
// rows may differ: the user authentication set after the first write. Readers show the earliest row; the user,
// requestId and meta filters must select by that same row, whichever connection wrote.
let db: TestDatabase;
let contextPool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase('context_filter_earliest_row');
  await db.pool.query('CREATE TABLE note (id integer PRIMARY KEY, v text)');
  await install(db.pool, [idValueSpec('note')]);
  contextPool = new (createContextDriver(pg).Pool)({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await contextPool.end();
  await db.drop();
});

const exportedUsers = async (filter: Record<string, unknown>) => {
  const prepared = await prepareExport(db.pool, { kind: 'filter', filter: { tables: ['note'], ...filter } });
  let text = '';
  for await (const chunk of prepared.stream('ndjson')) text += chunk;
  return text.trim().split('\n').slice(1, -1).map((line) => (JSON.parse(line) as { context: { user: unknown } }).context.user);
};

describe('context filters and a context stored more than once', () => {
  it('select a live request by the user its events show, not by a later connection\'s row', async () => {
    const request: { user?: string } = {};
    const requestId = randomUUID();
    await run(createLiveContext(() => ({ user: request.user, requestId })), async () => {
      const first = await contextPool.connect();
      const second = await contextPool.connect();
      try {
        await first.query(`INSERT INTO note VALUES (1, 'before sign-in')`);
        request.user = 'alice';
        await second.query(`INSERT INTO note VALUES (2, 'after sign-in')`);
      } finally {
        first.release();
        second.release();
      }
    });
    const { rows } = await db.pool.query(`SELECT metadata ->> 'user' AS user FROM rowtrail.context WHERE metadata ->> 'requestId' = $1 ORDER BY created_at`, [requestId]);
    expect(rows.map((r) => r.user)).toEqual([null, 'alice']); // the arrangement: two rows that disagree

    const shown = await activityFeed(db.pool, { requestId });
    expect(shown.events.map((e) => e.context?.user ?? null)).toEqual([null, null]);
    expect((await activityFeed(db.pool, { user: 'alice' })).events).toEqual([]);
    expect(await exportedUsers({ user: 'alice' })).toEqual([]);
    expect(await exportedUsers({ requestId })).toEqual([null, null]);
  });

  it('take the same row as readers when two rows of one id have the same time', async () => {
    const id = randomUUID();
    await db.pool.query(`INSERT INTO note VALUES (3, 'x')`);
    await db.pool.query(createContext({ user: 'carol' }, id).comment + `UPDATE note SET v = 'y' WHERE id = 3`);
    // a second row of the same id and time (to the microsecond), stored after the first (a later position in the table)
    await db.pool.query(`INSERT INTO rowtrail.context (id, metadata, created_at) SELECT id, '{"user": "dave"}', created_at FROM rowtrail.context WHERE id = $1`, [id]);
    for (const user of ['carol', 'dave']) {
      const page = await activityFeed(db.pool, { user });
      expect(page.events.every((e) => e.context?.user === user)).toBe(true);
    }
    expect((await activityFeed(db.pool, { user: 'carol' })).events).toHaveLength(1);
    expect(await exportedUsers({ user: 'carol' })).toEqual(['carol']);
    expect(await exportedUsers({ user: 'dave' })).toEqual([]);
    expect(await exportedUsers({ metadata: { user: 'dave' } })).toEqual([]);
  });
});
