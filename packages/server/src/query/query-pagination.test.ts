import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { activityFeed } from './activity-feed.js';
import { contextChanges } from './context-changes.js';
import type { Page } from './event-cursor.js';
import { ACCOUNT, createFixtureTables } from './history-fixture.test-support.js';
import { recordHistory } from './record-history.js';
import { createContext } from '../context/request-context.js';

let db: TestDatabase;
let writer: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase('query_pagination');
  await createFixtureTables(db.pool);
  writer = new pg.Client({ connectionString: db.url });
  await writer.connect();
});
afterAll(async () => {
  await writer.end();
  await db.drop();
});
void ACCOUNT;

/** Walks every page while another connection keeps inserting; returns the walked ids and those that existed at the start. */
async function walkWhileInserting(fetch: (cursor: string | null) => Promise<Page<{ eventId: string }>>, insert: (i: number) => Promise<unknown>) {
  const before = new Set<string>();
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const page = await fetch(cursor);
    page.events.forEach((e) => before.add(e.eventId));
    cursor = page.nextCursor;
  }
  const walked: string[] = [];
  let cursor: string | null = null;
  let i = 0;
  do {
    const page = await fetch(cursor);
    walked.push(...page.events.map((e) => e.eventId));
    cursor = page.nextCursor;
    await insert(i++); // lands between two page requests
    await insert(i++);
  } while (cursor);
  return { before, walked };
}

function expectNoDuplicatesNoGaps(before: Set<string>, walked: string[], order: 'asc' | 'desc') {
  expect(new Set(walked).size).toBe(walked.length);
  for (const id of before) expect(walked).toContain(id);
  const numbers = walked.map(BigInt);
  numbers.slice(1).forEach((n, i) => expect(order === 'desc' ? n < numbers[i] : n > numbers[i]).toBe(true));
}

describe('keyset pagination while events arrive', () => {
  it('activity feed (newest first): no duplicates, no gaps', async () => {
    await db.pool.query(`INSERT INTO account (id, name) SELECT g, 'a' || g FROM generate_series(1, 40) g`);
    const { before, walked } = await walkWhileInserting(
      (cursor) => activityFeed(db.pool, { tables: ['public.account'] }, { limit: 7, cursor }),
      (i) => writer.query(`INSERT INTO account (id, name) VALUES ($1, 'late')`, [1000 + i]),
    );
    expect(before.size).toBe(40);
    expectNoDuplicatesNoGaps(before, walked, 'desc');
  });

  it('record history (oldest first): no duplicates, no gaps, new versions appended', async () => {
    await db.pool.query(`UPDATE account SET name = 'v' || g FROM generate_series(1, 15) g WHERE id = 5 AND g = g`);
    for (let v = 0; v < 15; v++) await db.pool.query(`UPDATE account SET name = $1 WHERE id = 5`, [`v${v}`]);
    const { before, walked } = await walkWhileInserting(
      (cursor) => recordHistory(db.pool, 'public.account', { id: 5 }, { order: 'asc', limit: 4, cursor }),
      (i) => writer.query(`UPDATE account SET name = $1 WHERE id = 5`, [`late${i}`]),
    );
    expect(before.size).toBeGreaterThanOrEqual(16);
    expectNoDuplicatesNoGaps(before, walked, 'asc');
  });

  it('context changes (oldest first): no duplicates, no gaps', async () => {
    const context = createContext({ user: 'batch' });
    for (let i = 0; i < 12; i++) await db.pool.query(`${context.comment}INSERT INTO note (slug) VALUES ($1)`, [`n${i}`]);
    const { before, walked } = await walkWhileInserting(
      (cursor) => contextChanges(db.pool, context.id, { limit: 5, cursor }),
      (i) => writer.query(`${context.comment}INSERT INTO note (slug) VALUES ($1)`, [`late${i}`]),
    );
    expect(before.size).toBe(12);
    expectNoDuplicatesNoGaps(before, walked, 'asc');
  });
});
