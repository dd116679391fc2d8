import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { prepareExport } from '../export/diff-export.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { activityFeed } from './activity-feed.js';
import { createFixtureTables, writeScriptedHistory, type ScriptedHistory } from './history-fixture.test-support.js';
import { recordingPool } from './recording-pool.test-support.js';

// rowtrail.event: one UNION ALL branch per history table. A query for one table, or a lookup of one
// event, must read that table's history only.
let db: TestDatabase;
let script: ScriptedHistory;
beforeAll(async () => {
  db = await createTestDatabase('event_view');
  await createFixtureTables(db.pool);
  script = await writeScriptedHistory(db.pool);
  await db.pool.query('ANALYZE');
});
afterAll(() => db.drop());

/** Names of the history tables a plan read rows from (scan nodes that ran at least once). */
async function historyTablesRead(sql: string, values: unknown[] = []): Promise<string[]> {
  const { rows } = await db.pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, values);
  const read = new Set<string>();
  const walk = (node: { 'Relation Name'?: string; 'Actual Loops'?: number; Plans?: unknown[] }) => {
    if (node['Relation Name']?.endsWith('_history') && (node['Actual Loops'] ?? 0) > 0) read.add(node['Relation Name']);
    for (const child of node.Plans ?? []) walk(child as never);
  };
  walk(rows[0]['QUERY PLAN'][0].Plan);
  return [...read].sort();
}

describe('rowtrail.event', () => {
  it('lists the events of every tracked table with the columns rowtrail.diff had', async () => {
    const { rows } = await db.pool.query(`SELECT table_name, count(*)::int AS n FROM rowtrail.event GROUP BY 1 ORDER BY 1`);
    const expected = new Map<string, number>();
    for (const e of script.events) expected.set(e.table, (expected.get(e.table) ?? 0) + 1);
    expect(rows).toEqual([...expected].sort().map(([table_name, n]) => ({ table_name, n })));
    const columns = await db.pool.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'rowtrail' AND table_name = 'event' ORDER BY ordinal_position`);
    const diffColumns = await db.pool.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'rowtrail' AND table_name = 'diff' ORDER BY ordinal_position`);
    expect(columns.rows).toEqual(diffColumns.rows);
  });

  it('reads only the history of the tables a filter names, and one table per event looked up', async () => {
    const { pool, sent } = recordingPool(db.pool);
    await activityFeed(pool, { tables: ['note'] });
    await activityFeed(pool, { tables: ['account'], user: 'alice' }); // ids first, then each event by table and id
    const exported = await prepareExport(pool, { kind: 'filter', filter: { tables: ['ledger'] } });
    for await (const chunk of exported.stream('ndjson')) expect(String(chunk)).not.toContain('"table":"public.note"');
    const feeds = sent.filter((q) => q.text.includes('"rowtrail".event'));
    expect(feeds.length).toBeGreaterThanOrEqual(2);
    expect(await historyTablesRead(feeds[0].text, feeds[0].values)).toEqual(['note_history']);
    expect(await historyTablesRead(feeds[1].text, feeds[1].values)).toEqual(['account_history']);
  });

  it('is read in event order, each history table along its event index, whatever the number of tables (core version 14)', async () => {
    // the fixture tracks several tables: a feed page must merge their event indexes, not read and sort every row
    const { rows: [{ n }] } = await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.tracked_table`);
    expect(n).toBeGreaterThan(2);
    const plans: string[] = [];
    for (const filter of [{}, { tables: ['account', 'note'] }]) {
      const { pool, sent } = recordingPool(db.pool);
      await activityFeed(pool, filter);
      const page = sent.filter((q) => !q.text.includes('.tracked_table')).at(-1)!;
      const client = await db.pool.connect();
      try {
        // the tables are tiny: ask whether the plan can avoid reading every row and sorting, not whether it prefers to
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off');
        plans.push((await client.query(`EXPLAIN ${page.text}`, page.values)).rows.map((r) => r['QUERY PLAN']).join('\n'));
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    }
    for (const plan of plans) {
      expect(plan).not.toMatch(/Seq Scan on \w+_history/);
      // the one ordering by event id is the merge of the history tables' event indexes, not a sort of their rows
      expect(plan.match(/Sort Key: [^\n]*event_id[^\n]*/g)).toEqual([expect.stringMatching(/^Sort Key: \w+\.rowtrail_event_id DESC$/)]);
      expect(plan).toMatch(/Merge Append[^\n]*\n\s+Sort Key: \w+\.rowtrail_event_id DESC/);
    }
  });

  it('is rebuilt when a table starts being tracked, and left alone when nothing changed', async () => {
    const viewRow = async () => (await db.pool.query(`SELECT xmin::text AS x FROM pg_rewrite WHERE ev_class = 'rowtrail.event'::regclass`)).rows[0].x;
    const before = await viewRow();
    await db.pool.query(`SELECT rowtrail.refresh_event_view()`);
    await install(db.pool, []);
    expect(await viewRow()).toBe(before);

    const tag: TrackedTableSpec = { schema: 'public', table: 'tag', primaryKey: ['id'], label: 'tag', columns: [{ name: 'id', type: 'integer' }], exclude: [], ignoreChanges: [] };
    await db.pool.query(`CREATE TABLE tag (id integer PRIMARY KEY)`);
    await install(db.pool, [tag]);
    await db.pool.query(`INSERT INTO tag VALUES (1)`);
    expect(await viewRow()).not.toBe(before);
    expect((await activityFeed(db.pool, { tables: ['tag'] })).events.map((e) => e.changes)).toEqual([{ id: 1 }]);
  });

  it('gives up after a while, with an error that says why, when readers hold the view it must rebuild', async () => {
    const reader = await db.pool.connect();
    const installer = await db.pool.connect();
    try {
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await reader.query('SELECT count(*) FROM rowtrail.event'); // as a streamed export does, for its whole run
      await installer.query(`SET lock_timeout = '300ms'`);
      const memo: TrackedTableSpec = { schema: 'public', table: 'memo', primaryKey: ['id'], label: 'memo', columns: [{ name: 'id', type: 'integer' }], exclude: [], ignoreChanges: [] };
      await db.pool.query(`CREATE TABLE memo (id integer PRIMARY KEY)`);
      await expect(install(installer, [memo])).rejects.toThrow(/cannot update the view "rowtrail"\.event .* it is being read/);
      expect((await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.tracked_table WHERE table_name = 'public.memo'`)).rows[0].n).toBe(0); // nothing changed
      await reader.query('COMMIT');
      await install(installer, [memo]);
      await db.pool.query(`INSERT INTO memo VALUES (1)`);
      expect((await activityFeed(db.pool, { tables: ['memo'] })).events).toHaveLength(1);
    } finally {
      await reader.query('ROLLBACK').catch(() => undefined);
      reader.release();
      installer.release();
    }
  });
});
