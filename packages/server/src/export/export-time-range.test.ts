import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiffEvent } from '../query/event-types.js';
import { createFixtureTables, writeScriptedHistory } from '../query/history-fixture.test-support.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { prepareExport } from './diff-export.js';
import { parseExport, type ExportSelection } from './export-format.js';
import { filterConditions, type EventFilter } from '../query/event-filter.js';
import { SqlParams } from '../query/event-sql.js';
import { loadRegistry } from '../query/tracked-table-registry.js';
import { exportQuery, type TableRange } from './export-query.js';

// A filter of tables and a time range (or of tables alone) is read along each table's event-id index (export-query.ts);
// any other filter by sorting the matching ids. Adding "every operation" to a filter selects the same events through the other way, so the two
// are compared here on events whose ids do not follow their times.
let db: TestDatabase;
let events: DiffEvent[];
/** The event of a statement that started before, and was recorded after, the note insert that overtook it. */
let slow: DiffEvent;
let overtaking: DiffEvent;
beforeAll(async () => {
  db = await createTestDatabase('export_time_range');
  await createFixtureTables(db.pool);
  await writeScriptedHistory(db.pool);
  const slowWriter = await db.pool.connect();
  try {
    const started = slowWriter.query(`UPDATE account SET name = 'Slow' WHERE id = 2 AND pg_sleep(0.4) IS NOT NULL`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await db.pool.query(`INSERT INTO note (slug, body) VALUES ('overtaking', 'written while the update slept')`);
    await started;
    // A change is stamped when its capture runs, after the overtaking insert here; captures of earlier releases stamped
    // their statement's start, before it, as the slow event is stamped again here (history written before an upgrade;
    // in a logged maintenance window, history being append-only): its id then does not follow its time.
    await slowWriter.query('BEGIN');
    await slowWriter.query(`SELECT rowtrail.begin_maintenance('test: the slow update stamped as earlier releases stamped it')`);
    await slowWriter.query(`UPDATE rowtrail.account_history SET rowtrail_created_at = (SELECT min(rowtrail_created_at) - interval '150 milliseconds'
      FROM rowtrail.note_history WHERE slug = 'overtaking') WHERE rowtrail_operation = 'UPDATE' AND name = 'Slow'`);
    await slowWriter.query('COMMIT');
  } finally {
    slowWriter.release();
  }
  await db.pool.query(`INSERT INTO ledger (id, amount, memo) VALUES (7, 1, 'last')`);
  events = await exportEvents({ tables: [] });
  slow = events.find((e) => e.table === 'public.account' && (e.changes as { name?: unknown[] }).name?.[1] === 'Slow')!;
  overtaking = events.find((e) => (e.recordKey as { slug?: string }).slug === 'overtaking')!;
}, 30_000);
afterAll(() => db.drop());

async function exportEvents(filter: EventFilter): Promise<DiffEvent[]> {
  const prepared = await prepareExport(db.pool, { kind: 'filter', filter } satisfies ExportSelection, { batchSize: 3 });
  let text = '';
  for await (const chunk of prepared.stream('ndjson')) text += chunk;
  return parseExport(text, 'ndjson').events;
}

/** The events of a filter read both ways, which must agree. */
async function bothWays(filter: EventFilter): Promise<DiffEvent[]> {
  const byRange = await exportEvents(filter);
  expect(byRange).toEqual(await exportEvents({ ...filter, operations: ['INSERT', 'UPDATE', 'DELETE'] }));
  return byRange;
}

const micros = (iso: string): number => Date.parse(iso) * 1000 + Number(iso.slice(23, 26));
const inWindow = (from?: string, to?: string) => (e: DiffEvent) =>
  (from === undefined || micros(e.createdAt) >= micros(from)) && (to === undefined || micros(e.createdAt) < micros(to));

describe('exports of tables and a time range, or of whole tables', () => {
  it('has events whose ids do not follow their times to test with', () => {
    expect(Number(slow.eventId)).toBeGreaterThan(Number(overtaking.eventId));
    expect(micros(slow.createdAt)).toBeLessThan(micros(overtaking.createdAt));
  });

  it('holds exactly the events of the range, oldest event id first, for any tables', async () => {
    const windows: Array<[string | undefined, string | undefined]> = [
      [slow.createdAt, overtaking.createdAt], // the slow statement's event alone, whose id is above the overtaking one's
      [slow.createdAt, undefined],
      [undefined, overtaking.createdAt],
      [events[1].createdAt, events[events.length - 2].createdAt],
      [undefined, undefined], // every event of the tables, read the same way
    ];
    for (const [from, to] of windows) {
      for (const tables of [[], ['account'], ['note', 'ledger'], ['public.account', 'note']]) {
        const expected = events.filter(inWindow(from, to)).filter((e) => tables.length === 0 || tables.some((t) => e.table === t || e.table === `public.${t}`));
        expect(await bothWays({ tables, from, to })).toEqual(expected);
      }
    }
    expect(await bothWays({ tables: ['account'], from: slow.createdAt, to: overtaking.createdAt })).toEqual([slow]);
  });

  it('is empty for a range without events, and for tables without events in it', async () => {
    expect(await bothWays({ from: '2001-01-01T00:00:00Z', to: '2001-01-02T00:00:00Z' })).toEqual([]);
    expect(await bothWays({ tables: ['ledger'], from: slow.createdAt, to: overtaking.createdAt })).toEqual([]);
  });

  it('never sorts events whole: each table is read along its event-id index, tables merged in event-id order', async () => {
    for (const [tables, from, to] of [[['account'], events[0].createdAt, '2100-01-01T00:00:00Z'], [['account', 'note', 'ledger'], events[0].createdAt, undefined], [['account', 'ledger'], undefined, undefined]] as const) {
      const filter: EventFilter = { tables: [...tables], from, to };
      const params = new SqlParams();
      const conditions = filterConditions(filter, await loadRegistry(db.pool), params, 'rowtrail');
      const query = exportQuery('rowtrail', { kind: 'filter', filter }, conditions, params.values.length);
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        const ranges = (await client.query<TableRange>(query.ranges!, params.values)).rows;
        expect(ranges.map((r) => r.table)).toEqual(tables.map((t) => `public.${t}`).sort());
        const events = query.events(ranges)!;
        await client.query(events.before!);
        const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${events.text}`, [...params.values, ...events.values])).rows.map((r) => r['QUERY PLAN']);
        // a Sort node's key is on one of the lines that follow it (PostgreSQL 18 may write "Disabled: true" first)
        const sorted = plan.flatMap((line, i) => (/^\s*(->\s+)?Sort\s*$/.test(line) ? [plan.slice(i + 1).find((l) => l.trim().startsWith('Sort Key:'))?.trim() ?? '(no key)'] : []));
        expect(sorted.every((key) => /^Sort Key: c0(_\d+)?\.created_at, c0(_\d+)?\.ctid$/.test(key)), plan.join('\n')).toBe(true); // only a context's rows
        expect(plan.filter((line) => /Index Scan using \w+_history_event_idx/.test(line))).toHaveLength(tables.length);
        if (tables.length > 1) expect(plan[0]).toMatch(/^Merge Append/);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    }
  });
});
