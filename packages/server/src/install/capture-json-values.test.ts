import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { prepareExport } from '../export/diff-export.js';
import { parseExport } from '../export/export-format.js';
import { activityFeed } from '../query/activity-feed.js';
import { compareVersions } from '../query/compare-versions.js';
import { recordHistory } from '../query/record-history.js';
import { recordStateAt } from '../query/record-state.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { install } from './installer.js';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';

// json keeps any JSON escape; jsonb, which diffs and read versions are, cannot hold \u0000 nor a lone surrogate
// (JSON.stringify writes "\ud83d" for a string cut inside an emoji). Such a value must not make the write fail.
let db: TestDatabase;
const doc: TrackedTableSpec = {
  schema: 'public', table: 'doc', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'body', type: 'json' }, { name: 'parts', type: 'json[]' }, { name: 'note', type: 'text' }],
};
const NUL = String.raw`{"a":"x\u0000y"}`;
const LONE = String.raw`{"a":"cut \ud83d"}`;
const PAIR = String.raw`{"a":"\ud83d\ude00 \u0041"}`; // jsonb holds these: decoded as before
const ESCAPED_BACKSLASH = String.raw`{"a":"\\u0000 is text here"}`;
const HUGE = '{"n": 1e1000000}';

// a versioned protection without a column list compares whole rows as jsonb (versioned-bump.ts)
const versionedDoc: ProtectedTableSpec = { schema: 'public', table: 'versioned_doc', primaryKey: ['id'], protections: [{ kind: 'versioned', name: 'versioned', field: 'version' }] };

beforeAll(async () => {
  db = await createTestDatabase('capture_json_values');
  await db.pool.query(`CREATE TABLE doc (id int PRIMARY KEY, body json, parts json[], note text)`);
  await db.pool.query(`CREATE TABLE versioned_doc (id int PRIMARY KEY, body json, version int NOT NULL DEFAULT 0)`);
  await install(db.pool, [doc], { protections: [versionedDoc] });
});
afterAll(() => db.drop());

const changesOf = async (sql: string, values: unknown[] = []) => {
  const { rows: [{ mark }] } = await db.pool.query(`SELECT coalesce(max(event_id), 0) AS mark FROM rowtrail.event`);
  await db.pool.query(sql, values);
  return (await db.pool.query(`SELECT operation, changes FROM rowtrail.event WHERE event_id > $1 ORDER BY event_id`, [mark])).rows;
};

describe('json values jsonb cannot hold', () => {
  it('are recorded, with \\u0000 and lone surrogate escapes kept as text, and the history row keeps them exactly', async () => {
    expect(await changesOf(`INSERT INTO doc VALUES (1, $1, ARRAY[$2::json], 'n')`, [NUL, LONE])).toEqual([
      { operation: 'INSERT', changes: { id: 1, body: { a: String.raw`x\u0000y` }, parts: [{ a: String.raw`cut \ud83d` }], note: 'n' } },
    ]);
    expect(await changesOf(`UPDATE doc SET body = $1 WHERE id = 1`, [LONE])).toEqual([
      { operation: 'UPDATE', changes: { body: [{ a: String.raw`x\u0000y` }, { a: String.raw`cut \ud83d` }] } },
    ]);
    expect(await changesOf(`UPDATE doc SET note = 'unchanged json' WHERE id = 1`)).toEqual([
      { operation: 'UPDATE', changes: { note: ['n', 'unchanged json'] } },
    ]);
    expect(await changesOf(`UPDATE doc SET body = $1 WHERE id = 1`, [PAIR])).toEqual([
      { operation: 'UPDATE', changes: { body: [{ a: String.raw`cut \ud83d` }, { a: '😀 A' }] } },
    ]);
    // the history table's json columns hold the values as written, every escape kept
    const { rows } = await db.pool.query(`SELECT body::text, parts::text FROM rowtrail.doc_history ORDER BY rowtrail_event_id`);
    expect(rows.map((r) => r.body)).toEqual([NUL, LONE, LONE, PAIR]);
    expect(rows[0].parts).toBe(`{"${LONE.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"}`);
  });

  it('records several rows in one statement, and a text that only looks like an escape as it is', async () => {
    await db.pool.query(`INSERT INTO doc VALUES (2, '{}', NULL, 'a'), (3, '{}', NULL, 'b')`);
    const bulk = await changesOf(`UPDATE doc SET body = CASE id WHEN 2 THEN $1::json ELSE $2::json END WHERE id IN (2, 3)`, [NUL, ESCAPED_BACKSLASH]);
    expect(bulk.map((e) => e.changes.body[1])).toEqual([{ a: String.raw`x\u0000y` }, { a: String.raw`\u0000 is text here` }]);
    // a number numeric cannot hold is still refused (documented): the write fails whole, nothing is recorded,
    // also beside an escape that goes through json_as_jsonb
    await expect(changesOf(`UPDATE doc SET body = $1 WHERE id = 3`, [HUGE])).rejects.toThrow(/value overflows numeric format/);
    await expect(changesOf(`UPDATE doc SET body = $1 WHERE id = 3`, [String.raw`{"a":"\u00e9","n":1e1000000}`])).rejects.toThrow(/value overflows numeric format/);
    expect((await db.pool.query(`SELECT body::text FROM doc WHERE id = 3`)).rows[0].body).toBe(ESCAPED_BACKSLASH);
    expect(await changesOf(`DELETE FROM doc WHERE id = 2`)).toEqual([
      { operation: 'DELETE', changes: { id: 2, body: { a: String.raw`x\u0000y` }, parts: null, note: 'a' } },
    ]);
  });

  it('reads back through the query API and the export', async () => {
    const history = await recordHistory(db.pool, 'doc', { id: 1 }, { order: 'asc' });
    expect(history.events.map((e) => e.snapshot.body)).toEqual([
      { a: String.raw`x\u0000y` }, { a: String.raw`cut \ud83d` }, { a: String.raw`cut \ud83d` }, { a: '😀 A' },
    ]);
    // each column as its diff recorded it: the last version's parts still hold a lone surrogate, its body a valid pair
    expect(history.events[0].snapshot).toEqual({ id: 1, body: { a: String.raw`x\u0000y` }, parts: [{ a: String.raw`cut \ud83d` }], note: 'n' });
    expect(history.events[3].snapshot).toEqual({ id: 1, body: { a: '😀 A' }, parts: [{ a: String.raw`cut \ud83d` }], note: 'unchanged json' });
    const state = await recordStateAt(db.pool, 'doc', { id: 1 }, new Date(Date.now() + 60_000));
    expect(state.event?.snapshot.body).toEqual({ a: '😀 A' });
    const [first, second] = history.events;
    const compared = await compareVersions(db.pool, 'doc', { id: 1 }, first.eventId, second.eventId);
    expect(compared.changes).toEqual({ body: [{ a: String.raw`x\u0000y` }, { a: String.raw`cut \ud83d` }] });
    expect((await activityFeed(db.pool, { tables: ['doc'] })).events).toHaveLength(9);
    let text = '';
    for await (const chunk of (await prepareExport(db.pool, { kind: 'record', table: 'doc', key: { id: 1 } })).stream('ndjson')) text += chunk;
    expect(parseExport(text, 'ndjson').events.map((e) => e.operation)).toEqual(['INSERT', 'UPDATE', 'UPDATE', 'UPDATE']);
  });

  it('reads versions whose json column was dropped since, and the function never runs in a parallel operation', async () => {
    await db.pool.query(`CREATE TABLE blob (id int PRIMARY KEY, data json)`);
    const blob: TrackedTableSpec = { ...doc, table: 'blob', columns: [{ name: 'id', type: 'integer' }, { name: 'data', type: 'json' }] };
    await install(db.pool, [blob]);
    await db.pool.query(`INSERT INTO blob VALUES (1, $1)`, [NUL]);
    await db.pool.query(`ALTER TABLE blob DROP COLUMN data; ALTER TABLE blob ADD COLUMN label text`);
    await install(db.pool, [{ ...blob, columns: [{ name: 'id', type: 'integer' }, { name: 'label', type: 'text' }] }]);
    await db.pool.query(`UPDATE blob SET label = 'after' WHERE id = 1`);
    // the history table keeps the dropped column, and its old value reads as recorded
    const versions = (await recordHistory(db.pool, 'blob', { id: 1 }, { order: 'asc' })).events.map((e) => e.snapshot);
    expect(versions).toEqual([{ id: 1, data: { a: String.raw`x\u0000y` }, label: null }, { id: 1, data: null, label: 'after' }]);
    // an EXCEPTION block cannot run in a parallel operation: PostgreSQL must not plan one around it
    expect((await db.pool.query(`SELECT proparallel FROM pg_proc WHERE proname = 'json_as_jsonb'`)).rows).toEqual([{ proparallel: 'u' }]);
  });

  it('are recorded inside a composite value, a domain over json and arrays of them too, and read back', async () => {
    await db.pool.query(`CREATE TYPE labelled AS (label text, payload json); CREATE DOMAIN payload AS json;
      CREATE TABLE wrapped (id int PRIMARY KEY, w labelled, ws labelled[], p payload, mood text)`);
    const wrapped: TrackedTableSpec = { ...doc, table: 'wrapped', columns: [
      { name: 'id', type: 'integer' }, { name: 'w', type: 'labelled' }, { name: 'ws', type: 'labelled[]' }, { name: 'p', type: 'payload' }, { name: 'mood', type: 'text' }] };
    await install(db.pool, [wrapped]);
    const nul = { a: String.raw`x\u0000y` };
    expect(await changesOf(`INSERT INTO wrapped VALUES (1, ROW('l', $1::json), ARRAY[ROW('m', $1::json)::labelled], $1, 'calm')`, [NUL])).toEqual([
      { operation: 'INSERT', changes: { id: 1, w: { label: 'l', payload: nul }, ws: [{ label: 'm', payload: nul }], p: nul, mood: 'calm' } },
    ]);
    expect(await changesOf(`UPDATE wrapped SET w = ROW('l2', $1::json), p = $1 WHERE id = 1`, [LONE])).toEqual([
      { operation: 'UPDATE', changes: { w: [{ label: 'l', payload: nul }, { label: 'l2', payload: { a: String.raw`cut \ud83d` } }], p: [nul, { a: String.raw`cut \ud83d` }] } },
    ]);
    // a composite without such an escape is recorded as before
    expect(await changesOf(`UPDATE wrapped SET w = ROW('plain', '{"b": 1}') WHERE id = 1`)).toEqual([
      { operation: 'UPDATE', changes: { w: [{ label: 'l2', payload: { a: String.raw`cut \ud83d` } }, { label: 'plain', payload: { b: 1 } }] } },
    ]);
    const versions = (await recordHistory(db.pool, 'wrapped', { id: 1 }, { order: 'asc' })).events.map((e) => e.snapshot.w);
    expect(versions).toEqual([{ label: 'l', payload: nul }, { label: 'l2', payload: { a: String.raw`cut \ud83d` } }, { label: 'plain', payload: { b: 1 } }]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM wrapped`)).rows).toEqual([{ n: 1 }]);
  });

  it('lets a versioned protection that compares whole rows bump rows holding such values', async () => {
    await db.pool.query(`INSERT INTO versioned_doc (id, body) VALUES (1, $1)`, [NUL]);
    await db.pool.query(`UPDATE versioned_doc SET body = $1 WHERE id = 1`, [LONE]);
    await db.pool.query(`UPDATE versioned_doc SET body = body WHERE id = 1`); // redundant: no bump
    expect((await db.pool.query(`SELECT body::text, version FROM versioned_doc`)).rows).toEqual([{ body: LONE, version: 1 }]);
  });
});
