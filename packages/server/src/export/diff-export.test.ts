import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityFeed } from '../query/activity-feed.js';
import { contextChanges } from '../query/context-changes.js';
import type { DiffEvent } from '../query/event-types.js';
import { BIG_ID, createFixtureTables, writeScriptedHistory, type ScriptedHistory } from '../query/history-fixture.test-support.js';
import { recordHistory } from '../query/record-history.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { install } from '../install/installer.js';
import { prepareExport } from './diff-export.js';
import { parseExport, type ExportEncoding, type ExportSelection } from './export-format.js';

let db: TestDatabase;
let script: ScriptedHistory;
beforeAll(async () => {
  db = await createTestDatabase('diff_export');
  await createFixtureTables(db.pool);
  script = await writeScriptedHistory(db.pool);
  await db.pool.query(`INSERT INTO note (slug, body) SELECT 'bulk' || g, repeat('x', g) FROM generate_series(1, 25) g`);
});
afterAll(() => db.drop());

async function exportText(selection: ExportSelection, encoding: ExportEncoding, batchSize = 4): Promise<{ text: string; progress: number[] }> {
  const progress: number[] = [];
  const prepared = await prepareExport(db.pool, selection, { batchSize, onProgress: (n) => progress.push(n) });
  let text = '';
  for await (const chunk of prepared.stream(encoding)) text += chunk;
  return { text, progress };
}

/** Every page of a query, oldest first. */
async function walk(fetchPage: (cursor: string | null) => Promise<{ events: DiffEvent[]; nextCursor: string | null }>): Promise<DiffEvent[]> {
  const events: DiffEvent[] = [];
  let cursor: string | null = null;
  do {
    const page = await fetchPage(cursor);
    events.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor);
  return events;
}

describe('prepareExport', () => {
  it('exports a filter: same events as the query API, in both encodings, streamed in batches', async () => {
    const feed = (await walk((cursor) => activityFeed(db.pool, { tables: ['note'] }, { limit: 7, cursor }))).reverse();
    expect(feed).toHaveLength(27);
    for (const encoding of ['json', 'ndjson'] as const) {
      const { text, progress } = await exportText({ kind: 'filter', filter: { tables: ['note'] } }, encoding);
      const parsed = parseExport(text, encoding);
      expect(parsed.events).toEqual(feed);
      expect(parsed).toMatchObject({ format: 'rowtrail.diff-export', version: 2, selection: { kind: 'filter', filter: { tables: ['note'] } }, end: { eventCount: 27 } });
      expect(progress).toEqual([4, 8, 12, 16, 20, 24, 27]);
      if (encoding === 'ndjson') expect(text.split('\n')).toHaveLength(1 + 27 + 1 + 1); // header, events, end, and the empty string after the last newline
    }
  });

  it('exports a record and a request: same events as the query API', async () => {
    const history = (await recordHistory(db.pool, 'account', { id: 1 }, { order: 'asc' })).events;
    const record = parseExport((await exportText({ kind: 'record', table: 'account', key: { id: 1 } }, 'json')).text, 'json');
    expect(record.events).toEqual(history.map(({ snapshot: _snapshot, ...diff }) => diff));
    expect(record.selection).toEqual({ kind: 'record', table: 'public.account', key: { id: 1 } });
    const request = parseExport((await exportText({ kind: 'context', contextId: script.contexts.bob.id }, 'ndjson')).text, 'ndjson');
    expect(request.events).toEqual((await contextChanges(db.pool, script.contexts.bob.id)).events);
    expect(request.events).toHaveLength(2);
  });

  it('writes a record export\'s key as its events carry it: exact numbers, no leading zeros', async () => {
    for (const encoding of ['json', 'ndjson'] as const) {
      const ledger = (await exportText({ kind: 'record', table: 'ledger', key: { id: BIG_ID } }, encoding)).text; // as parsed from a URL
      expect(ledger).toContain(`"selection":{"kind":"record","table":"public.ledger","key":{"id":${BIG_ID}}}`);
      expect(ledger).toContain(`"recordKey":{"id": ${BIG_ID}}`);
      const account = (await exportText({ kind: 'record', table: 'account', key: { id: '007' } }, encoding)).text;
      expect(parseExport(account, encoding).selection).toEqual({ kind: 'record', table: 'public.account', key: { id: 7 } });
    }
  });

  it('writes a valid empty export', async () => {
    const { text } = await exportText({ kind: 'filter', filter: { user: 'nobody' } }, 'json');
    expect(JSON.parse(text).events).toEqual([]);
    expect((await prepareExport(db.pool, { kind: 'filter', filter: { user: 'nobody' } })).fileName('json')).toMatch(/^rowtrail-events-\d{8}T\d{6}Z\.json$/);
  });

  it('counts, and returns its connection when the reader stops early', async () => {
    const prepared = await prepareExport(db.pool, { kind: 'filter', filter: {} }, { batchSize: 2 });
    expect(await prepared.count()).toBe(script.events.length + 25);
    const chunks: string[] = [];
    for await (const chunk of prepared.stream('ndjson')) {
      chunks.push(String(chunk));
      if (chunks.length === 2) break; // header + first batch read from the cursor: destroys the stream mid-export
    }
    expect(chunks[0]).toContain('rowtrail.diff-export'); // the header comes first
    expect(chunks[1].trimEnd().split('\n')).toHaveLength(2);
    const openTransactions = async () => (await db.pool.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`)).rows[0].n;
    await expect.poll(openTransactions).toBe(0);
    await expect.poll(() => db.pool.idleCount === db.pool.totalCount).toBe(true);
  });

  it('refuses bad selections before streaming', async () => {
    await expect(prepareExport(db.pool, { kind: 'record', table: 'ghost', key: { id: 1 } })).rejects.toMatchObject({ status: 404, parameter: 'table' });
    await expect(prepareExport(db.pool, { kind: 'record', table: 'account', key: { slug: 1 } })).rejects.toMatchObject({ status: 400, parameter: 'key' });
    await expect(prepareExport(db.pool, { kind: 'context', contextId: 'x' })).rejects.toMatchObject({ status: 400, parameter: 'contextId' });
  });

  it('escapes free text in table names and labels exactly as the query API does', async () => {
    const label = 'say "hi" \\ ü\ttab \u2028 end';
    await db.pool.query(`CREATE SCHEMA "odd ""schema"""`);
    await db.pool.query(`CREATE TABLE "odd ""schema"""."tab\\le" (id integer PRIMARY KEY, v text)`);
    await install(db.pool, [{
      schema: 'odd "schema"', table: 'tab\\le', primaryKey: ['id'], label, exclude: [], ignoreChanges: [],
      columns: [{ name: 'id', type: 'integer' }, { name: 'v', type: 'text' }],
    }]);
    await db.pool.query(`INSERT INTO "odd ""schema"""."tab\\le" VALUES (1, $1)`, ['quote " backslash \\ newline \n']);
    const table = 'odd "schema".tab\\le';
    const feed = (await activityFeed(db.pool, { tables: [table] })).events;
    expect(feed).toHaveLength(1);
    expect(feed[0]).toMatchObject({ table, label });
    for (const encoding of ['json', 'ndjson'] as const) {
      expect(parseExport((await exportText({ kind: 'filter', filter: { tables: [table] } }, encoding)).text, encoding).events).toEqual(feed);
    }
  });
});
