import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureTables } from '../query/history-fixture.test-support.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { BATCH_CHARS, FIRST_BATCH, prepareExport } from './diff-export.js';
import { parseExport } from './export-format.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('export_batch_size');
  await createFixtureTables(db.pool);
});
afterAll(() => db.drop());

/** Exports the notes' events from a time on (as NDJSON): how many, the rows each read brought, the longest event. */
async function exportNotes(from: string, batchSize?: number): Promise<{ events: number; batches: number[]; longest: number }> {
  const progress: number[] = [];
  const prepared = await prepareExport(db.pool, { kind: 'filter', filter: { tables: ['note'], from } }, { batchSize, onProgress: (n) => progress.push(n) });
  let text = '';
  for await (const chunk of prepared.stream('ndjson')) text += chunk;
  const lines = text.trimEnd().split('\n').slice(1, -1);
  expect(parseExport(text, 'ndjson').events).toHaveLength(lines.length);
  return { events: lines.length, batches: progress.map((n, i) => n - (progress[i - 1] ?? 0)), longest: Math.max(...lines.map((line) => line.length)) };
}

const now = async (): Promise<string> => (await db.pool.query<{ t: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t`)).rows[0].t;

describe('export batches', () => {
  it('reads large events a few at a time, so a batch of them never holds gigabytes', async () => {
    // 100 events of 400 KB: 1000 rows per read held all 40 MB at once (with documents of a few MB, gigabytes).
    const from = await now();
    await db.pool.query(`INSERT INTO note (slug, body) SELECT 'big' || g, repeat('é', 400 * 1024) FROM generate_series(1, 100) g`);
    const { events, batches, longest } = await exportNotes(from);
    expect(events).toBe(100);
    expect(batches[0]).toBe(FIRST_BATCH);
    for (const rows of batches.slice(1)) expect(rows * longest).toBeLessThanOrEqual(BATCH_CHARS);
    expect(batches.slice(1, -1)).toEqual(batches.slice(1, -1).map(() => Math.floor(BATCH_CHARS / longest)));
  });

  it('reads small events batchSize at a time after a short first read', async () => {
    const from = await now();
    await db.pool.query(`INSERT INTO note (slug, body) SELECT 'small' || g, repeat('x', 100) FROM generate_series(1, 3000) g`);
    const { batches } = await exportNotes(from);
    expect(batches).toEqual([FIRST_BATCH, 1000, 1000, 3000 - FIRST_BATCH - 2000]);
    expect((await exportNotes(from, 4)).batches.slice(0, 3)).toEqual([4, 4, 4]); // batchSize stays the most
  });
});
