// The queries name their relations with short aliases (the history rows "s", events "d", contexts "c", ...). PostgreSQL
// reads a bare name as a column before a relation, so a whole-row reference written as an alias alone, `to_jsonb(s)`,
// read a tracked table's column "s" instead ("cannot delete from scalar": a 500 on /api/history, /api/state and
// /api/compare). Tables whose columns are named like every alias the query and export SQL uses must read as any other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../context/request-context.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { prepareExport } from '../export/diff-export.js';
import { parseExport, type ExportSelection } from '../export/export-format.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { activityBuckets } from './activity-buckets.js';
import { activityFeed } from './activity-feed.js';
import { compareVersions } from './compare-versions.js';
import { contextChanges } from './context-changes.js';
import { recordHistory } from './record-history.js';
import { recordStateAt } from './record-state.js';
import { trackedTablesSummary } from './tracked-tables-summary.js';

// every relation and column alias of the SQL in src/query and src/export, as a column name
const ALIASES = ['d', 'c', 'c0', 'o', 'e', 'k', 'm', 'a', 'x', 'y', 'r', 'f', 't', 'p', 'u', 'b', 'q', 'h', 'w', 'n',
  'pair', 'keys', 'side', 'page', 'moved', 'position', 'id', 'ids', 'event', 'snapshot', 'json', 'changes', 'found', 'estimate',
  'recording', 'last', 'start', 'table_name', 'event_id', 'record_key', 'context_id', 'operation', 'label', 'txid', 'created_at'];

// "s" is the key; "v" changes type after the first writes (its older values then come from the renamed column, the
// snapshot's retyped path), "doc" is json (the snapshot's json path)
const spec = (vType: string): TrackedTableSpec => ({
  schema: 'public', table: 'aliased', primaryKey: ['s'], label: 'aliased', exclude: [], ignoreChanges: [],
  columns: [{ name: 's', type: 'text' }, { name: 'v', type: vType }, { name: 'doc', type: 'json' }, ...ALIASES.map((name) => ({ name, type: 'text' }))],
});
// a composite key of alias names, for a partial recordKey filter
const LINK: TrackedTableSpec = {
  schema: 'public', table: 'link', primaryKey: ['s', 'd'], label: 'link', exclude: [], ignoreChanges: [],
  columns: [{ name: 's', type: 'integer' }, { name: 'd', type: 'integer' }, { name: 'k', type: 'text' }],
};

let db: TestDatabase;
const alice = createContext({ user: 'alice', requestId: 'req-alias' });
const later = () => new Date(Date.now() + 60_000);

beforeAll(async () => {
  db = await createTestDatabase('alias_named_columns');
  await db.pool.query(`CREATE TABLE aliased (s text PRIMARY KEY, v integer, doc json, ${ALIASES.map((name) => `"${name}" text`).join(', ')})`);
  await db.pool.query(`CREATE TABLE link (s integer, d integer, k text, PRIMARY KEY (s, d))`);
  await install(db.pool, [spec('integer'), LINK]);
  await db.pool.query(`${alice.comment}INSERT INTO aliased (s, v, doc, d, c) VALUES ('plain', 1, '{"a": 1}', 'dee', 'see')`);
  await db.pool.query(`${alice.comment}UPDATE aliased SET v = 2, d = 'dee 2' WHERE s = 'plain'`);
  await db.pool.query(`ALTER TABLE aliased ALTER COLUMN v TYPE numeric`);
  await install(db.pool, [spec('numeric'), LINK]);
  await db.pool.query(`${alice.comment}UPDATE aliased SET v = 2.5 WHERE s = 'plain'`);
  await db.pool.query(`UPDATE aliased SET s = 'moved' WHERE s = 'plain'`); // a key change away from 'plain'
  await db.pool.query(`INSERT INTO aliased (s, v) VALUES ('plain', 3)`); // another record with the key
  await db.pool.query(`${alice.comment}INSERT INTO link VALUES (1, 1, 'one'), (1, 2, 'two'), (2, 1, 'other')`);
  await db.pool.query(`UPDATE link SET d = 3 WHERE s = 1 AND d = 2`);
});
afterAll(() => db.drop());

describe('tables with columns named like the queries\' aliases', () => {
  it('read a record\'s history with its snapshots, key changes away included', async () => {
    const { events } = await recordHistory(db.pool, 'aliased', { s: 'plain' }, { order: 'asc', movedAway: true });
    expect(events.map((e) => [e.operation, e.recordKey, e.snapshot.v, e.movedAway ?? false])).toEqual([
      ['INSERT', { s: 'plain' }, 1, false],
      ['UPDATE', { s: 'plain' }, 2, false],
      ['UPDATE', { s: 'plain' }, 2.5, false],
      ['UPDATE', { s: 'moved' }, 2.5, true],
      ['INSERT', { s: 'plain' }, 3, false],
    ]);
    expect(events[1].snapshot).toMatchObject({ s: 'plain', v: 2, doc: { a: 1 }, d: 'dee 2', c: 'see', position: null, snapshot: null });
    expect(Object.keys(events[1].snapshot).filter((name) => name.startsWith('rowtrail_'))).toEqual([]);
  });

  it('answer the state as of an instant and compare two versions', async () => {
    const [inserted, updated] = (await recordHistory(db.pool, 'aliased', { s: 'plain' }, { order: 'asc' })).events;
    expect((await recordStateAt(db.pool, 'aliased', { s: 'plain' }, inserted.createdAt)).event?.snapshot).toMatchObject({ s: 'plain', v: 1, d: 'dee' });
    expect(await recordStateAt(db.pool, 'aliased', { s: 'moved' }, later())).toMatchObject({ exists: true, event: { snapshot: { s: 'moved', v: 2.5 } } });
    const comparison = await compareVersions(db.pool, 'aliased', { s: 'plain' }, inserted.eventId, updated.eventId);
    expect(comparison.changes).toEqual({ v: [1, 2], d: ['dee', 'dee 2'] });
  });

  it('list the feed, a request\'s changes, activity and the tables', async () => {
    expect((await activityFeed(db.pool, { tables: ['aliased'] })).events).toHaveLength(5);
    expect((await activityFeed(db.pool, { user: 'alice' })).events).toHaveLength(6);
    expect((await activityFeed(db.pool, { tables: ['link'], recordKey: { s: 1 } })).events.map((e) => e.recordKey)).toEqual([{ s: 1, d: 3 }, { s: 1, d: 2 }, { s: 1, d: 1 }]);
    expect((await activityFeed(db.pool, { tables: ['aliased'], changed: ['d'] })).events).toHaveLength(1);
    expect((await contextChanges(db.pool, alice.id)).events).toHaveLength(6);
    const { buckets } = await activityBuckets(db.pool, { tables: ['aliased'] });
    expect(buckets.reduce((sum, b) => sum + b.INSERT + b.UPDATE + b.DELETE, 0)).toBe(5);
    expect((await trackedTablesSummary(db.pool)).map((t) => [t.table, t.events])).toEqual([['public.aliased', 5], ['public.link', 4]]);
  });

  it('export a record, a request and filters', async () => {
    const exported = async (selection: ExportSelection) => {
      const stream = (await prepareExport(db.pool, selection)).stream('ndjson');
      let text = '';
      for await (const chunk of stream) text += String(chunk);
      return parseExport(text, 'ndjson').events.map((e) => [e.table, e.operation]);
    };
    // as recordHistory with movedAway: the key change away from 'plain' too
    expect(await exported({ kind: 'record', table: 'aliased', key: { s: 'plain' } })).toHaveLength(5);
    expect(await exported({ kind: 'context', contextId: alice.id })).toHaveLength(6);
    expect(await exported({ kind: 'filter', filter: { tables: ['aliased', 'link'] } })).toHaveLength(9);
    expect(await exported({ kind: 'filter', filter: { tables: ['aliased', 'link'], from: '2000-01-01', to: later() } })).toHaveLength(9);
    expect(await exported({ kind: 'filter', filter: { user: 'alice', operations: ['UPDATE'] } })).toEqual([['public.aliased', 'UPDATE'], ['public.aliased', 'UPDATE']]);
  });
});
