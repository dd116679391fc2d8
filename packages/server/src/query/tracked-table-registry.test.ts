import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type pg from 'pg';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { activityFeed } from './activity-feed.js';
import { RowtrailNotInstalledError } from './query-errors.js';
import { recordHistory } from './record-history.js';
import { recordingPool } from './recording-pool.test-support.js';
import { REGISTRY_MAX_AGE_MS } from './tracked-table-registry.js';
import { trackedTablesSummary } from './tracked-tables-summary.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('registry_cache');
  for (const name of ['first', 'second', 'third']) await db.pool.query(`CREATE TABLE ${name} (id integer PRIMARY KEY, v text)`);
  await install(db.pool, [idValueSpec('first')]);
  await db.pool.query(`INSERT INTO first VALUES (1, 'a')`);
});
afterAll(() => db.drop());

/** A pool of its own (so its registry cache starts empty) that counts registry reads. */
function countingPool(): { pool: pg.Pool; registryReads: () => number } {
  const { pool, sent } = recordingPool(db.pool);
  return { pool, registryReads: () => sent.filter((q) => q.text.includes('.tracked_table')).length };
}

describe('registry cache', () => {
  it('reads the registry once for queries that follow each other closely', async () => {
    const { pool, registryReads } = countingPool();
    for (let i = 0; i < 5; i++) expect((await recordHistory(pool, 'first', { id: 1 })).events).toHaveLength(1);
    expect(registryReads()).toBe(1);
  });

  it('sees a table installed after the registry was cached at once', async () => {
    const { pool, registryReads } = countingPool();
    await recordHistory(pool, 'first', { id: 1 });
    await install(db.pool, [idValueSpec('first'), idValueSpec('second')]);
    await db.pool.query(`INSERT INTO second VALUES (7, 'b')`);
    expect((await recordHistory(pool, 'second', { id: 7 })).events.map((e) => e.snapshot)).toEqual([{ id: 7, v: 'b' }]);
    expect((await activityFeed(pool, { tables: ['public.second'] })).events).toHaveLength(1);
    expect(registryReads()).toBe(2);
  });

  it('lists a table installed a moment ago in the tracked tables summary, which reads the registry anew', async () => {
    const { pool } = countingPool();
    await recordHistory(pool, 'first', { id: 1 }); // the registry is cached
    const before = (await trackedTablesSummary(pool)).map((t) => t.table);
    expect(before).not.toContain('public.third');
    await install(db.pool, [idValueSpec('first'), idValueSpec('second'), idValueSpec('third')]);
    expect((await trackedTablesSummary(pool)).map((t) => t.table)).toEqual([...before, 'public.third']);
  });

  it('refuses an exactCountLimit that is not a number of rows, naming it', async () => {
    for (const bad of [-1, 0.5, Number.NaN, '10' as unknown as number]) {
      await expect(trackedTablesSummary(db.pool, { exactCountLimit: bad })).rejects.toMatchObject({ status: 400, parameter: 'exactCountLimit', message: expect.stringMatching(/^exactCountLimit: must be a whole number of rows/) });
    }
    expect((await trackedTablesSummary(db.pool, { exactCountLimit: Infinity })).every((t) => !t.eventsEstimated)).toBe(true);
  });

  it('reads the registry again once it is older than REGISTRY_MAX_AGE_MS', async () => {
    const { pool, registryReads } = countingPool();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      await recordHistory(pool, 'first', { id: 1 });
      vi.setSystemTime(Date.now() + REGISTRY_MAX_AGE_MS - 1);
      await recordHistory(pool, 'first', { id: 1 });
      expect(registryReads()).toBe(1);
      vi.setSystemTime(Date.now() + 2);
      await recordHistory(pool, 'first', { id: 1 });
      expect(registryReads()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never caches a failure: an unknown table stays a 404 and a missing schema a clear error', async () => {
    const { pool } = countingPool();
    await expect(recordHistory(pool, 'nope', { id: 1 })).rejects.toThrow(/nope/);
    await expect(recordHistory(pool, 'first', { id: 1 }, { schema: 'not_installed' })).rejects.toBeInstanceOf(RowtrailNotInstalledError);
    await expect(recordHistory(pool, 'first', { id: 1 }, { schema: 'not_installed' })).rejects.toBeInstanceOf(RowtrailNotInstalledError);
    expect((await recordHistory(pool, 'first', { id: 1 })).events).toHaveLength(1);
  });
});
