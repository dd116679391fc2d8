import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityFeed } from '../query/activity-feed.js';
import { filterConditions, type EventFilter } from '../query/event-filter.js';
import { SqlParams } from '../query/event-sql.js';
import { loadRegistry } from '../query/tracked-table-registry.js';
import type { DiffEvent } from '../query/event-types.js';
import { createFixtureTables, writeScriptedHistory } from '../query/history-fixture.test-support.js';
import { RowtrailQueryError } from '../query/query-errors.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { prepareExport } from './diff-export.js';
import { parseExport, type DiffExport } from './export-format.js';
import { exportQuery } from './export-query.js';

// An export's header carries its snapshot as a watermark; an export "after" it holds the events committed since.
// The events that make this hard are those of a transaction open during the earlier export: written (time, event id)
// before some events that export held, committed after it.
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('export_watermark');
  await createFixtureTables(db.pool);
  await writeScriptedHistory(db.pool);
}, 30_000);
afterAll(() => db.drop());

async function exportAll(filter: EventFilter = {}, encoding: 'json' | 'ndjson' = 'ndjson'): Promise<DiffExport> {
  const prepared = await prepareExport(db.pool, { kind: 'filter', filter });
  let text = '';
  for await (const chunk of prepared.stream(encoding)) text += chunk;
  return parseExport(text, encoding);
}

const slugs = (events: DiffEvent[]) => events.filter((e) => e.table === 'public.note').map((e) => (e.recordKey as { slug: string }).slug);
const ids = (events: DiffEvent[]) => events.map((e) => e.eventId);

describe('chained exports (the "after" watermark)', () => {
  it('hold every event exactly once, including those of a transaction that was open during the earlier export', async () => {
    const open = await db.pool.connect();
    let first: DiffExport;
    try {
      await open.query('BEGIN');
      await open.query(`INSERT INTO note (slug, body) VALUES ('open-during-first', 'written first, committed last')`);
      await db.pool.query(`INSERT INTO note (slug, body) VALUES ('committed-before-first', 'x')`);
      first = await exportAll();
      await open.query('SAVEPOINT s1');
      await open.query(`UPDATE note SET body = 'kept' WHERE slug = 'open-during-first'`);
      await open.query('RELEASE SAVEPOINT s1');
      await open.query('SAVEPOINT s2');
      await open.query(`INSERT INTO note (slug, body) VALUES ('rolled-back', 'x')`);
      await open.query('ROLLBACK TO SAVEPOINT s2');
      await open.query('COMMIT');
    } finally {
      open.release();
    }
    await db.pool.query(`INSERT INTO note (slug, body) VALUES ('after-first', 'x')`);

    expect(first.watermark).toMatch(/^\d+:\d+:(\d+(,\d+)*)?$/);
    expect(slugs(first.events)).toContain('committed-before-first');
    expect(slugs(first.events)).not.toContain('open-during-first');

    const second = await exportAll({ after: first.watermark });
    expect(second.selection).toEqual({ kind: 'filter', filter: { after: first.watermark } });
    expect(slugs(second.events)).toEqual(['open-during-first', 'open-during-first', 'after-first']);
    // the open transaction's insert came before an event the first export held: no id or time could have found it
    const [openInsert] = second.events;
    const committedBefore = first.events.find((e) => (e.recordKey as { slug?: string }).slug === 'committed-before-first')!;
    expect(BigInt(openInsert.eventId)).toBeLessThan(BigInt(committedBefore.eventId));
    expect(openInsert.createdAt < committedBefore.createdAt).toBe(true);

    const third = await exportAll({ after: second.watermark }, 'json');
    expect(third.events).toEqual([]);
    // together: every event of the database, once each
    const whole = await exportAll();
    const chained = [...ids(first.events), ...ids(second.events)];
    expect(new Set(chained).size).toBe(chained.length);
    expect(chained.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))).toEqual(ids(whole.events));
  });

  it('takes the watermark from the snapshot the export reads, not from when its header is written', async () => {
    const prepared = await prepareExport(db.pool, { kind: 'filter', filter: { tables: ['note'] } });
    const stream = await prepared.open('ndjson'); // the snapshot starts here
    await db.pool.query(`INSERT INTO note (slug, body) VALUES ('committed-while-streaming', 'x')`);
    let text = '';
    for await (const chunk of stream) text += chunk;
    const first = parseExport(text, 'ndjson');
    expect(slugs(first.events)).not.toContain('committed-while-streaming');
    const next = await exportAll({ tables: ['note'], after: first.watermark });
    expect(slugs(next.events)).toEqual(['committed-while-streaming']);
  });

  it('combines with the other filters, and the activity feed takes it too', async () => {
    const { watermark } = await exportAll();
    await db.pool.query(`INSERT INTO ledger (id, amount, memo) VALUES (1001, 5, 'a')`);
    await db.pool.query(`INSERT INTO note (slug, body) VALUES ('not-a-ledger', 'x')`);
    await db.pool.query(`UPDATE ledger SET memo = 'b' WHERE id = 1001`);
    const ledger = await exportAll({ tables: ['ledger'], after: watermark });
    expect(ledger.events.map((e) => [e.operation, e.recordKey])).toEqual([['INSERT', { id: 1001 }], ['UPDATE', { id: 1001 }]]);
    expect((await exportAll({ tables: ['ledger'], operations: ['UPDATE'], after: watermark })).events).toHaveLength(1);
    const feed = await activityFeed(db.pool, { after: watermark });
    expect(ids(feed.events)).toEqual(ids((await exportAll({ after: watermark })).events).reverse());
    expect(feed.events).toHaveLength(3);
  });
});

describe('a watermark that cannot be used', () => {
  const refused = async (after: unknown) => {
    const error = await prepareExport(db.pool, { kind: 'filter', filter: { after: after as string } }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(RowtrailQueryError);
    expect((error as RowtrailQueryError).parameter).toBe('after');
    return (error as Error).message;
  };

  it('is refused with its parameter named, before any byte is written', async () => {
    for (const bad of ['', 'yesterday', '10:5:', '10:20:25', '10:20:15,12', '1:2:', '10:20:12,12', '99999999999999999999:99999999999999999999:', 12]) {
      expect(await refused(bad)).toMatch(/^after: .*a watermark is the "watermark" of an earlier export's header/);
    }
  });

  it('is refused when this database has not reached it (another database, or a restore into a new cluster)', async () => {
    expect(await refused('9000000000:9000000000:')).toMatch(/^after: watermark "9000000000:9000000000:" is ahead of this database \(its next transaction id is \d+\)/);
    await expect(activityFeed(db.pool, { after: '9000000000:9000000000:' })).rejects.toThrow(/ahead of this database/);
  });
});

describe('the events after a watermark', () => {
  it('are found through the history table\'s time and transaction BRIN index, not by reading the whole table', async () => {
    // 60 transactions of 2,000 rows: a watermark near the end leaves the block ranges of the earlier ones out
    for (let batch = 0; batch < 60; batch++) {
      await db.pool.query(`INSERT INTO ledger (id, amount, memo) SELECT 100000 + $1::int * 2000 + g, g, repeat('m', 40) FROM generate_series(1, 2000) g`, [batch]);
    }
    const { watermark } = await exportAll({ tables: ['ledger'], from: new Date().toISOString() });
    await db.pool.query(`UPDATE ledger SET memo = 'late' WHERE id BETWEEN 100001 AND 100003`);
    await db.pool.query('ANALYZE rowtrail.ledger_history');
    // the export's own event query for the selection, with its parameters (generic plans would hide the bound)
    const filter: EventFilter = { tables: ['ledger'], after: watermark };
    const params = new SqlParams();
    const conditions = filterConditions(filter, await loadRegistry(db.pool), params, 'rowtrail');
    const events = exportQuery('rowtrail', { kind: 'filter', filter }, conditions, params.values.length).events([])!;
    const { rows } = await db.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${events.text}`, [...params.values, ...events.values]);
    expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Bitmap Index Scan on ledger_history_created_at_txid_idx/);
    expect((await exportAll({ tables: ['ledger'], after: watermark })).events.map((e) => e.changes)).toEqual([1, 2, 3].map(() => ({ memo: [expect.any(String), 'late'] })));
  }, 60_000);
});
