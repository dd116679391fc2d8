import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { activityFeed } from '../query/activity-feed.js';
import { recordHistory } from '../query/record-history.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { trimHistory } from './trim-history.js';

// Retention: the events before a cutoff go, with the contexts only they referred to, inside a logged maintenance window.
let db: TestDatabase;
let cutoff: string;
const contexts = { oldOnly: randomUUID(), spanning: randomUUID(), sharedWithNote: randomUUID(), recent: randomUUID() };
const withContext = (id: string, user: string, sql: string) => db.pool.query(`/*rowtrail:{"id":"${id}","m":{"user":"${user}"}}*/ ${sql}`);

beforeAll(async () => {
  db = await createTestDatabase('trim_history');
  await db.pool.query(`CREATE TABLE account (id integer PRIMARY KEY, v text); CREATE TABLE note (id integer PRIMARY KEY, v text)`);
  await install(db.pool, [idValueSpec('account'), idValueSpec('note')]);
  // before the cutoff
  await withContext(contexts.oldOnly, 'old', `INSERT INTO account VALUES (1, 'a'), (2, 'b')`);
  await withContext(contexts.spanning, 'job', `UPDATE account SET v = 'a2' WHERE id = 1`);
  await withContext(contexts.sharedWithNote, 'both', `INSERT INTO account VALUES (3, 'c'); INSERT INTO note VALUES (1, 'n')`);
  await db.pool.query(`INSERT INTO account VALUES (4, 'psql')`); // no application context: a context row of its own
  await new Promise((r) => setTimeout(r, 20));
  cutoff = (await db.pool.query<{ t: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t`)).rows[0].t;
  await new Promise((r) => setTimeout(r, 20));
  // after it
  await withContext(contexts.spanning, 'job', `UPDATE account SET v = 'a3' WHERE id = 1`);
  await withContext(contexts.recent, 'new', `UPDATE account SET v = 'b2' WHERE id = 2; DELETE FROM account WHERE id = 3`);
});
afterAll(() => db.drop());

const counts = async () => (await db.pool.query<{ account: number; note: number; contexts: number; log: number }>(
  `SELECT (SELECT count(*)::int FROM rowtrail.account_history) AS account, (SELECT count(*)::int FROM rowtrail.note_history) AS note,
          (SELECT count(*)::int FROM rowtrail.context) AS contexts, (SELECT count(*)::int FROM rowtrail.maintenance_log) AS log`)).rows[0];
const contextIds = async () => (await db.pool.query<{ id: string }>(`SELECT DISTINCT id::text FROM rowtrail.context`)).rows.map((r) => r.id);

describe('trimHistory', () => {
  it('refuses, changing nothing: an unknown table, a cutoff in the future or not a time, an interval that is not one', async () => {
    const before = await counts();
    await expect(trimHistory(db.pool, { before: cutoff, tables: ['account', 'nope'] })).rejects.toThrow('Rowtrail: trim history: public.nope is not tracked by the Rowtrail installation in schema "rowtrail"; nothing was deleted');
    await expect(trimHistory(db.pool, { before: '2999-01-01' })).rejects.toThrow(/^Rowtrail: trim history: the cutoff 2999-01-01T00:00:00\.000000Z is in the future, which would delete every event; nothing was deleted$/);
    await expect(trimHistory(db.pool, { olderThan: '-1 day' })).rejects.toThrow(/is in the future/);
    await expect(trimHistory(db.pool, { before: 'last week' })).rejects.toMatchObject({ parameter: 'before' });
    await expect(trimHistory(db.pool, { olderThan: 'two years' })).rejects.toThrow(`Rowtrail: olderThan: "two years" is not a PostgreSQL interval such as '90 days' or '2 years'`);
    await expect(trimHistory(db.pool, {})).rejects.toThrow('Rowtrail: trimHistory needs one of before and olderThan');
    await expect(trimHistory(db.pool, { before: cutoff, olderThan: '1 day' })).rejects.toThrow('Rowtrail: trimHistory needs one of before and olderThan');
    expect(await counts()).toEqual(before);
  });

  it('counts in a dry run what it would delete, and deletes nothing', async () => {
    const before = await counts();
    const dry = await trimHistory(db.pool, { before: cutoff, dryRun: true });
    expect(dry).toEqual({
      before: cutoff, dryRun: true, maintenanceLogId: null, legacyDiffs: 0,
      tables: [{ table: 'public.account', historyTable: 'rowtrail.account_history', events: 5 }, { table: 'public.note', historyTable: 'rowtrail.note_history', events: 1 }],
      contexts: 3, // oldOnly, sharedWithNote and psql's; spanning has a kept event
    });
    expect(await counts()).toEqual(before);
  });

  it('trims one table: a context an older event of another table refers to stays', async () => {
    const kept = (await activityFeed(db.pool, { tables: ['note'] })).events;
    const result = await trimHistory(db.pool, { before: cutoff, tables: ['account'], reason: 'two-year retention' });
    expect(result.tables).toEqual([{ table: 'public.account', historyTable: 'rowtrail.account_history', events: 5 }]);
    expect(result.contexts).toBe(2); // oldOnly and psql's
    const ids = await contextIds();
    expect(ids).toEqual(expect.arrayContaining([contexts.sharedWithNote, contexts.spanning, contexts.recent]));
    expect(ids).not.toContain(contexts.oldOnly);
    expect((await activityFeed(db.pool, { tables: ['note'] })).events).toEqual(kept);
    const { rows: [log] } = await db.pool.query(`SELECT id::text, reason FROM rowtrail.maintenance_log ORDER BY id DESC LIMIT 1`);
    expect(log).toEqual({ id: result.maintenanceLogId, reason: `trim history: events before ${cutoff} of public.account: two-year retention` });
  });

  it('keeps the later events as they were: a record\'s history starts at its first kept version, with its own diff', async () => {
    const history = (await recordHistory(db.pool, 'account', { id: 1 }, { order: 'asc' })).events;
    expect(history.map((e) => [e.operation, e.changes, e.snapshot.v, e.context?.user])).toEqual([['UPDATE', { v: ['a2', 'a3'] }, 'a3', 'job']]);
    expect((await recordHistory(db.pool, 'account', { id: 3 })).events.map((e) => [e.operation, e.context?.user])).toEqual([['DELETE', 'new']]);
    // history is append-only again once the window's transaction ended
    await expect(db.pool.query(`DELETE FROM rowtrail.account_history`)).rejects.toThrow(/maintenance/);
  });

  it('trims every table by default', async () => {
    const result = await trimHistory(db.pool, { before: cutoff });
    expect(result.tables.map((t) => [t.table, t.events])).toEqual([['public.account', 0], ['public.note', 1]]);
    expect(result.contexts).toBe(1); // sharedWithNote, now without events
    expect((await activityFeed(db.pool, {})).events.map((e) => e.context?.user)).toEqual(['new', 'new', 'job']);
    const again = await trimHistory(db.pool, { olderThan: '0 seconds', dryRun: true });
    // a cutoff of now(): every event and context row is older, none would be left (the job wrote on two
    // connections, which stored a row each)
    expect([again.tables.map((t) => t.events), again.contexts]).toEqual([[3, 0], 3]);
  });

  it('deletes the diffs written before core version 5 of the trimmed tables', async () => {
    await db.pool.query(`INSERT INTO rowtrail.diff (event_id, table_name, record_key, operation, changes, txid, created_at)
      VALUES (900001, 'public.account', '{"id": 9}', 'INSERT', '{"id": 9}', 1, '2020-01-01Z'), (900002, 'public.other', '{"id": 9}', 'INSERT', '{"id": 9}', 1, '2020-01-01Z')`);
    const result = await trimHistory(db.pool, { before: '2021-01-01', tables: ['public.account'] });
    expect([result.legacyDiffs, result.tables[0].events]).toEqual([1, 0]);
    expect((await db.pool.query(`SELECT table_name FROM rowtrail.diff`)).rows).toEqual([{ table_name: 'public.other' }]);
  });
});
