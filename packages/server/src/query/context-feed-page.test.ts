import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../context/request-context.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { activityFeed } from './activity-feed.js';
import { CONTEXT_PAGE_MAX_CONTEXTS } from './context-feed-page.js';
import { recordingPool } from './recording-pool.test-support.js';

// A feed filtered by user: a user who wrote twice long ago must not cost a walk over every event since,
// and a user with more contexts than CONTEXT_PAGE_MAX_CONTEXTS must still get exactly their events.
let db: TestDatabase;
const item = idValueSpec('item', 'integer', { label: 'item' });
const write = (user: string, sql: string) => db.pool.query(createContext({ user, requestId: randomUUID() }).comment + sql);

beforeAll(async () => {
  db = await createTestDatabase('context_feed_page');
  await db.pool.query(`CREATE TABLE item (id integer PRIMARY KEY, v integer NOT NULL)`);
  await install(db.pool, [item]);
  await write('bulk', `INSERT INTO item SELECT g, 0 FROM generate_series(1, 50000) g`);
  await write('rare', `UPDATE item SET v = 1 WHERE id = 1`);
  await write('rare', `UPDATE item SET v = 1 WHERE id = 2`);
  for (let i = 0; i < 3; i++) await write('bulk', `UPDATE item SET v = v + 1`);
  for (let i = 0; i < 300; i++) await write(`user-${i % 10}`, `UPDATE item SET v = v + 1 WHERE id = ${100 + i}`);
  for (let i = 0; i < 3; i++) await write('busy', `UPDATE item SET v = v + 1 WHERE id = ${10 + i}`);
  // more stored contexts than the per-context lookup takes (contexts of requests that changed nothing tracked)
  await db.pool.query(`INSERT INTO rowtrail.context (id, metadata) SELECT gen_random_uuid(), '{"user": "busy"}' FROM generate_series(1, ${CONTEXT_PAGE_MAX_CONTEXTS + 5})`);
  await db.pool.query('VACUUM ANALYZE');
});
afterAll(() => db.drop());

describe('feed filtered by context', () => {
  it('finds the events of a user who wrote twice long ago without reading the events since', async () => {
    const { pool, sent } = recordingPool(db.pool);
    const page = await activityFeed(pool, { user: 'rare' });
    expect(page.events.map((e) => [e.recordKey, e.changes])).toEqual([[{ id: 2 }, { v: [0, 1] }], [{ id: 1 }, { v: [0, 1] }]]);
    const query = sent.find((q) => q.text.includes('"rowtrail".event'))!;
    const { rows } = await db.pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.text}`, query.values);
    let historyRowsRead = 0;
    let walkedScans = 0;
    type PlanNode = { 'Relation Name'?: string; 'Actual Rows'?: number; 'Actual Loops'?: number; 'Rows Removed by Filter'?: number; 'Index Cond'?: string; Filter?: string; Plans?: PlanNode[] };
    const walk = (node: PlanNode) => {
      if (node['Relation Name'] === 'item_history') {
        historyRowsRead += ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)) * (node['Actual Loops'] ?? 1);
        // the walk over the newest events matches contexts against the whole id array
        if (/ANY/.test(`${node['Index Cond'] ?? ''} ${node.Filter ?? ''}`) && (node['Actual Loops'] ?? 0) > 0) walkedScans++;
      }
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(rows[0]['QUERY PLAN'][0].Plan);
    expect(historyRowsRead).toBeGreaterThan(0); // the plan reads item_history (else the counts below would say nothing)
    expect(walkedScans).toBe(0); // looked up context by context
    expect(historyRowsRead).toBeLessThan(20); // the table holds 200,300 history rows
  });

  it('gives a user with more contexts than the per-context lookup takes exactly their events, newest first', async () => {
    const page = await activityFeed(db.pool, { user: 'busy' });
    expect(page.events.map((e) => e.recordKey)).toEqual([{ id: 12 }, { id: 11 }, { id: 10 }]);
    const second = await activityFeed(db.pool, { user: 'busy' }, { limit: 2 });
    expect(second.events).toHaveLength(2);
    const rest = await activityFeed(db.pool, { user: 'busy' }, { limit: 2, cursor: second.nextCursor });
    expect(rest.events.map((e) => e.recordKey)).toEqual([{ id: 10 }]);
  });

  it('pages through a user\'s events with cursors', async () => {
    const first = await activityFeed(db.pool, { user: 'rare' }, { limit: 1 });
    const next = await activityFeed(db.pool, { user: 'rare' }, { limit: 1, cursor: first.nextCursor });
    expect([...first.events, ...next.events].map((e) => e.recordKey)).toEqual([{ id: 2 }, { id: 1 }]);
    expect(next.nextCursor).toBeNull();
  });
});
