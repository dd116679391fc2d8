import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../context/request-context.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { activityFeed, activityFeedWith } from './activity-feed.js';
import { contextChangesWith } from './context-changes.js';
import type { Page } from './event-cursor.js';
import type { JsonCodec } from './event-rows.js';
import { PAGE_BYTES } from './page-budget.js';
import { recordHistoryWith } from './record-history.js';

// Pages end once their events pass a byte budget (maxPageBytes), with a cursor as for any short page: following the
// cursors gives every event once, in order, and a page never ends before it must.
let db: TestDatabase;
const doc = idValueSpec('doc', 'text', { label: 'doc' });
const context = createContext({ user: 'writer', requestId: 'one-request' });
const HUGE = 40_000; // characters of the one value larger than every budget below

/** Each event's id and the bytes of its JSON text as PostgreSQL built it (what the budget counts). */
const SIZED: JsonCodec<{ id: string; bytes: number }> = { event: (row) => ({ id: row.event_id, bytes: Buffer.byteLength(row.event) }), value: (text) => text };

// values of mixed sizes, one far larger than the rest; the record with id 1 is written over and over (its history)
const sizes = [10, 10, 3000, 10, 600, HUGE, 10, 10, 10, 5000, 5000, 10, 1200, 10, 10, 10, 10, 2500, 10, 10, 800, 10];

beforeAll(async () => {
  db = await createTestDatabase('page_budget');
  await db.pool.query('CREATE TABLE doc (id integer PRIMARY KEY, v text)');
  await install(db.pool, [doc]);
  await db.pool.query(`${context.comment}INSERT INTO doc VALUES (1, 'first')`);
  for (const [i, size] of sizes.entries()) {
    await db.pool.query(`${context.comment}INSERT INTO doc VALUES ($1, repeat('x', $2))`, [i + 2, size]);
    await db.pool.query(`${context.comment}UPDATE doc SET v = repeat('y', $1) || $2 WHERE id = 1`, [size, i]);
  }
  // the record's key moves away and another record takes it: its history lists the move too (movedAway)
  await db.pool.query(`${context.comment}UPDATE doc SET id = 100 WHERE id = 1`);
  await db.pool.query(`${context.comment}INSERT INTO doc VALUES (1, repeat('z', 3500))`);
});
afterAll(() => db.drop());

type Sized = { id: string; bytes: number };

/** Every page of a list from the start, following nextCursor. */
async function walk(read: (cursor: string | null) => Promise<Page<Sized>>): Promise<Sized[][]> {
  const pages: Sized[][] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Sized> = await read(cursor);
    expect(page.events.length).toBeGreaterThan(0);
    pages.push(page.events);
    cursor = page.nextCursor;
    expect(pages.length).toBeLessThan(500);
  } while (cursor !== null);
  return pages;
}

/** The pages hold the whole list once, in order, each within the budget (or one event alone), none ended needlessly. */
function expectBudgetedPages(pages: Sized[][], whole: Sized[], limit: number, budget: number): void {
  expect(pages.flat()).toEqual(whole);
  const total = (events: Sized[]) => events.reduce((sum, e) => sum + e.bytes, 0);
  pages.forEach((events, i) => {
    expect(events.length).toBeLessThanOrEqual(limit);
    if (events.length > 1) expect(total(events)).toBeLessThanOrEqual(budget);
    // ended early only because the next event would have passed the budget
    if (i < pages.length - 1 && events.length < limit) expect(total(events) + pages[i + 1][0].bytes).toBeGreaterThan(budget);
  });
}

const LIMITS = [1, 3, 50, 1000];
const BUDGETS = [1, 700, 4000, 30_000, PAGE_BYTES];

describe('a page over the byte budget', () => {
  it('ends early in the feed, and the cursors give every event once, in order (filtered by table and by user)', async () => {
    for (const filter of [{ tables: ['public.doc'] }, { user: 'writer' }]) {
      const whole = (await activityFeedWith(SIZED, db.pool, filter, { limit: 1000 })).events;
      expect(whole.length).toBe(3 + 2 * sizes.length);
      for (const limit of LIMITS) {
        for (const budget of BUDGETS) {
          const pages = await walk((cursor) => activityFeedWith(SIZED, db.pool, filter, { limit, cursor, maxPageBytes: budget }));
          expectBudgetedPages(pages, whole, limit, budget);
          if (budget < PAGE_BYTES && limit > 1) expect(pages.length).toBeGreaterThan(Math.ceil(whole.length / limit)); // it did end pages early
        }
      }
    }
  });

  it("ends early in a record's history, either order, and in a request's changes", async () => {
    for (const order of ['desc', 'asc'] as const) {
      const whole = (await recordHistoryWith(SIZED, db.pool, 'public.doc', { id: 1 }, { order, limit: 1000, movedAway: true })).events;
      expect(whole.length).toBe(3 + sizes.length); // with the move away and the new record's insert
      for (const limit of LIMITS) {
        for (const budget of BUDGETS) {
          const pages = await walk((cursor) => recordHistoryWith(SIZED, db.pool, 'public.doc', { id: 1 }, { order, limit, cursor, maxPageBytes: budget, movedAway: true }));
          expectBudgetedPages(pages, whole, limit, budget);
        }
      }
    }
    const whole = (await contextChangesWith(SIZED, db.pool, context.id, { limit: 1000 })).events;
    expect(whole.length).toBe(3 + 2 * sizes.length);
    for (const limit of LIMITS) {
      for (const budget of BUDGETS) {
        expectBudgetedPages(await walk((cursor) => contextChangesWith(SIZED, db.pool, context.id, { limit, cursor, maxPageBytes: budget })), whole, limit, budget);
      }
    }
  });

  it('still comes back with one event that is alone larger than the budget', async () => {
    const whole = (await activityFeedWith(SIZED, db.pool, { tables: ['public.doc'] }, { limit: 1000 })).events;
    const huge = whole.filter((e) => e.bytes > HUGE);
    expect(huge.length).toBeGreaterThanOrEqual(2); // its insert, and the updates of record 1 to it and from it
    const pages = await walk((cursor) => activityFeedWith(SIZED, db.pool, { tables: ['public.doc'] }, { limit: 50, cursor, maxPageBytes: 9000 }));
    for (const event of huge) expect(pages.filter((page) => page.some((e) => e.id === event.id)).map((page) => page.length)).toEqual([1]);
    // and the query API's own events, exactly parsed, likewise
    const first = await activityFeed(db.pool, { tables: ['public.doc'] }, { limit: 50, maxPageBytes: 1 });
    expect(first.events).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
  });

  it('refuses a budget that is no positive integer, naming it', async () => {
    for (const maxPageBytes of [0, -1, 1.5, Number.NaN]) {
      await expect(activityFeed(db.pool, {}, { maxPageBytes })).rejects.toThrow(/maxPageBytes must be a positive integer/);
    }
  });
});
