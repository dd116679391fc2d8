import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { activityFeed } from '../query/activity-feed.js';
import { recordHistory } from '../query/record-history.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { untilAlone, withSession } from '../testing/lone-session.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { recordStateAt } from '../query/record-state.js';
import { TrimOptionError } from './trim-cutoff.js';
import { trimHistory } from './trim-history.js';

// Retention: the events before a cutoff go, but each record's last one, with the contexts only they used, inside a logged maintenance
// window. A session may still count a context it stored as stored, so sessions are opened per step here and the
// trims run once every earlier session has gone (db.pool is never used: its idle sessions would linger).
let db: TestDatabase;
let cutoff: string;
const contexts = { oldOnly: randomUUID(), sharedWithNote: randomUUID(), spanning: randomUUID(), noteEdit: randomUUID(), deleter: randomUUID(), recent: randomUUID() };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const comment = (id: string, user: string) => `/*rowtrail:{"id":"${id}","m":{"user":"${user}"}}*/`;
const NOW_UTC = `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t`;

const session = <T>(fn: (client: pg.Client) => Promise<T>, config: pg.ClientConfig = {}): Promise<T> => withSession(db.url, fn, config);
/** fn on a session of its own, once no other session is connected to the test database. */
const alone = <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => session(async (client) => {
  await untilAlone(client);
  return fn(client);
});

beforeAll(async () => {
  db = await createTestDatabase('trim_history');
  await session(async (w) => {
    await w.query(`CREATE TABLE account (id integer PRIMARY KEY, v text); CREATE TABLE note (id integer PRIMARY KEY, v text); CREATE TABLE legacy (id integer PRIMARY KEY, v text)`);
    await install(w, [idValueSpec('account'), idValueSpec('note'), idValueSpec('legacy')]);
    // before the cutoff, one session (a context it stored is not stored again)
    await w.query(`${comment(contexts.oldOnly, 'old')} INSERT INTO account VALUES (1, 'a'), (2, 'b')`);
    await w.query(`${comment(contexts.sharedWithNote, 'both')} UPDATE account SET v = 'a1' WHERE id = 1; ${comment(contexts.sharedWithNote, 'both')} INSERT INTO note VALUES (1, 'n')`);
    await w.query(`${comment(contexts.spanning, 'job')} UPDATE account SET v = 'a2' WHERE id = 1`);
    await w.query(`${comment(contexts.noteEdit, 'editor')} UPDATE note SET v = 'n2' WHERE id = 1`);
    await w.query(`INSERT INTO account VALUES (3, 'psql')`); // no application context: a context row of its own
    await w.query(`${comment(contexts.deleter, 'cleaner')} DELETE FROM account WHERE id = 2`);
    await sleep(20);
    cutoff = (await w.query<{ t: string }>(NOW_UTC)).rows[0].t;
    await sleep(20);
    // after it
    await w.query(`${comment(contexts.spanning, 'job')} UPDATE account SET v = 'a3' WHERE id = 1`);
    await w.query(`${comment(contexts.recent, 'new')} UPDATE account SET v = 'c2' WHERE id = 3`);
  });
});
afterAll(() => db.drop());

const counts = () => session(async (c) => (await c.query<{ account: number; note: number; contexts: number; log: number }>(
  `SELECT (SELECT count(*)::int FROM rowtrail.account_history) AS account, (SELECT count(*)::int FROM rowtrail.note_history) AS note,
          (SELECT count(*)::int FROM rowtrail.context) AS contexts, (SELECT count(*)::int FROM rowtrail.maintenance_log) AS log`)).rows[0]);
const contextIds = () => session(async (c) => (await c.query<{ id: string }>(`SELECT DISTINCT id::text FROM rowtrail.context`)).rows.map((r) => r.id));
const readPool = async <T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T> => {
  const pool = new pg.Pool({ connectionString: db.url, max: 1 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
};

describe('trimHistory', () => {
  it('refuses, changing nothing: a misspelt or mistyped option, an unknown table, a cutoff in the future or not a time, an interval without a unit', async () => {
    const before = await counts();
    await alone(async (c) => {
      const refused = async (options: unknown, parameter: string, message: string | RegExp) => {
        const error = await trimHistory(c, options as never).then(() => undefined, (e: unknown) => e);
        expect(error, JSON.stringify(options)).toBeInstanceOf(TrimOptionError);
        expect((error as TrimOptionError).parameter).toBe(parameter);
        if (typeof message === 'string') expect((error as Error).message).toBe(message);
        else expect((error as Error).message).toMatch(message);
      };
      // a misspelt option would have trimmed every table; a string dryRun would have been read either way
      await refused({ olderThan: '1 day', table: ['account'] }, 'table', 'Rowtrail: trim history: table: is not an option of trimHistory (those are schema, before, olderThan, tables, reason, dryRun)');
      await refused({ olderThan: '1 day', tables: 'account' }, 'tables', 'Rowtrail: trim history: tables: must be an array of table names such as ["public.account"], got "account"');
      await refused({ olderThan: '1 day', dryRun: 'false' }, 'dryRun', 'Rowtrail: trim history: dryRun: must be true or false, got "false"');
      await refused({ before: cutoff, tables: ['account', 'nope'] }, 'tables', 'Rowtrail: trim history: tables: public.nope is not tracked by the Rowtrail installation in schema "rowtrail"; nothing was deleted');
      await refused({ before: '2999-01-01' }, 'before', /^Rowtrail: trim history: before: the cutoff 2999-01-01T00:00:00\.000000Z is in the future, which would delete every event; nothing was deleted$/);
      await refused({ olderThan: '-1 day' }, 'olderThan', /is in the future/);
      await refused({ before: 'last week' }, 'before', /^Rowtrail: trim history: before: must be an ISO 8601 date/);
      await refused({ olderThan: 'two years' }, 'olderThan', `Rowtrail: trim history: olderThan: "two years" is not a PostgreSQL interval such as '90 days' or '2 years'`);
      // PostgreSQL would read a bare number as seconds
      await refused({ olderThan: '90' }, 'olderThan', `Rowtrail: trim history: olderThan: "90" has no unit: write it with one, such as '90 days' or '2 years'`);
      await refused({ olderThan: '300000 years' }, 'olderThan', 'Rowtrail: trim history: olderThan: "300000 years" goes back before the earliest time PostgreSQL holds');
      await refused({}, 'cutoff', 'Rowtrail: trim history: cutoff: give one of before and olderThan');
      await refused({ before: cutoff, olderThan: '1 day' }, 'cutoff', 'Rowtrail: trim history: cutoff: give one of before and olderThan, not both');
    });
    expect(await counts()).toEqual(before);
  });

  it('reads --older-than in UTC whatever the session\'s DateStyle and time zone (CST read back would be US Central)', async () => {
    const result = await session((c) => trimHistory(c, { olderThan: '1 day', dryRun: true }), { options: '-c datestyle=SQL,DMY -c timezone=Asia/Shanghai' });
    expect(Math.abs(Date.parse(result.before) - (Date.now() - 86_400_000))).toBeLessThan(60_000);
  });

  it('changes and logs nothing when nothing is older than the cutoff', async () => {
    const before = await counts();
    const result = await alone((c) => trimHistory(c, { before: '2000-01-01' }));
    expect([result.maintenanceLogId, result.tables.map((t) => t.events)]).toEqual([null, [0, 0, 0]]);
    expect(await counts()).toEqual(before);
  });

  it('counts in a dry run exactly what it would delete, and deletes nothing', async () => {
    const before = await counts();
    const dry = await alone((c) => trimHistory(c, { before: cutoff, dryRun: true }));
    expect(dry).toEqual({
      before: cutoff, contextsBefore: cutoff, dryRun: true, maintenanceLogId: null, legacyDiffs: 0,
      // record 1 keeps its last version before the cutoff, record 3 its insert; record 2 was deleted: all of it goes
      tables: [
        { table: 'public.account', historyTable: 'rowtrail.account_history', events: 4, keptLastVersions: 2 },
        { table: 'public.legacy', historyTable: 'rowtrail.legacy_history', events: 0, keptLastVersions: 0 },
        { table: 'public.note', historyTable: 'rowtrail.note_history', events: 1, keptLastVersions: 1 },
      ],
      contexts: 3, // oldOnly, sharedWithNote and the deleter's; the others have a kept event
    });
    expect(await counts()).toEqual(before);
  });

  it('trims one table: a context an older event of another table refers to stays', async () => {
    const kept = await readPool(async (pool) => (await activityFeed(pool, { tables: ['note'] })).events);
    const result = await alone((c) => trimHistory(c, { before: cutoff, tables: ['account'], reason: 'two-year retention' }));
    expect(result.tables).toEqual([{ table: 'public.account', historyTable: 'rowtrail.account_history', events: 4, keptLastVersions: 2 }]);
    expect(result.contexts).toBe(2); // oldOnly and the deleter's
    const ids = await contextIds();
    expect(ids).toEqual(expect.arrayContaining([contexts.sharedWithNote, contexts.spanning, contexts.recent]));
    expect(ids).not.toContain(contexts.oldOnly);
    expect(await readPool(async (pool) => (await activityFeed(pool, { tables: ['note'] })).events)).toEqual(kept);
    const log = await session(async (c) => (await c.query(`SELECT id::text, reason FROM rowtrail.maintenance_log ORDER BY id DESC LIMIT 1`)).rows[0]);
    expect(log).toEqual({ id: result.maintenanceLogId, reason: `trim history: events before ${cutoff} of public.account: two-year retention` });
  });

  it('keeps each record\'s state at the cutoff: its last version before it, with its own diff', async () => {
    await readPool(async (pool) => {
      const history = (await recordHistory(pool, 'account', { id: 1 }, { order: 'asc' })).events;
      expect(history.map((e) => [e.operation, e.changes, e.snapshot.v, e.context?.user])).toEqual([
        ['UPDATE', { v: ['a1', 'a2'] }, 'a2', 'job'], ['UPDATE', { v: ['a2', 'a3'] }, 'a3', 'job'],
      ]);
      // a record that did not change after the cutoff still exists, as of the cutoff and now
      expect((await recordHistory(pool, 'account', { id: 3 }, { order: 'asc' })).events.map((e) => e.operation)).toEqual(['INSERT', 'UPDATE']);
      const atCutoff = await recordStateAt(pool, 'account', { id: 1 }, cutoff);
      expect([atCutoff.exists, atCutoff.event?.snapshot.v]).toEqual([true, 'a2']);
      // a record deleted before the cutoff has no history left
      expect((await recordHistory(pool, 'account', { id: 2 })).events).toEqual([]);
      // history is append-only again once the window's transaction ended
      await expect(pool.query(`DELETE FROM rowtrail.account_history`)).rejects.toThrow(/maintenance/);
    });
  });

  it('keeps a context that a session stored and is still writing under, however old', async () => {
    const job = randomUUID();
    await session(async (writer) => {
      await writer.query(`${comment(job, 'long-job')} INSERT INTO account VALUES (10, 'x')`); // stored, and known as stored to this session
      await writer.query(`UPDATE account SET v = 'x2' WHERE id = 10`); // the insert is no longer the record's last version
      await sleep(20);
      const later = (await writer.query<{ t: string }>(NOW_UTC)).rows[0].t;
      await writer.query('BEGIN');
      await writer.query(`${comment(job, 'long-job')} UPDATE account SET v = 'y' WHERE id = 10`); // no context row: the session has it
      const result = await session((c) => trimHistory(c, { before: later, tables: ['account'] }));
      expect(result.tables[0].events).toBeGreaterThan(0); // the insert went
      expect(Date.parse(result.contextsBefore)).toBeLessThan(Date.parse(later)); // the writer's session is older than the cutoff
      await writer.query('COMMIT');
    });
    const [latest] = await readPool(async (pool) => (await recordHistory(pool, 'account', { id: 10 })).events);
    expect([latest.operation, latest.context?.user]).toEqual(['UPDATE', 'long-job']);
  });

  it('counts a history table no registry row names (a migration\'s down left it): its events keep their contexts, and it is trimmed with every table', async () => {
    const shared = randomUUID();
    let later = '';
    await session(async (w) => {
      await w.query(`${comment(shared, 'both')} INSERT INTO account VALUES (20, 'x')`);
      await w.query(`UPDATE account SET v = 'x2' WHERE id = 20`); // the insert is no longer the record's last version
      await w.query(`INSERT INTO legacy VALUES (2, 'old'); UPDATE legacy SET v = 'older' WHERE id = 2`);
      await sleep(20);
      later = (await w.query<{ t: string }>(NOW_UTC)).rows[0].t;
      await w.query(`${comment(shared, 'both')} INSERT INTO legacy VALUES (1, 'kept')`);
      // what a generated migration's down does: the registry row goes, the history table stays
      await w.query(`DELETE FROM rowtrail.tracked_table WHERE table_name = 'public.legacy'; SELECT rowtrail.refresh_event_view()`);
    });
    const first = await alone((c) => trimHistory(c, { before: later, tables: ['account'] }));
    expect(first.tables[0].events).toBeGreaterThan(0); // account 20's insert went
    expect(await contextIds()).toContain(shared); // its legacy event, after the cutoff, is kept
    const all = await alone((c) => trimHistory(c, { before: later }));
    expect(all.tables).toContainEqual({ table: null, historyTable: 'rowtrail.legacy_history', events: 1, keptLastVersions: 1 });
  });

  it('trims every table by default, deleting the contexts no event refers to any more', async () => {
    const replaced = randomUUID();
    await session(async (w) => {
      await w.query(`${comment(replaced, 'first')} INSERT INTO account VALUES (30, 'x')`);
      await w.query(`UPDATE account SET v = 'x2' WHERE id = 30`); // a statement of its own: a context of its own
    });
    const result = await alone((c) => trimHistory(c, { olderThan: '0 seconds' }));
    expect(result.contexts).toBe(1); // the insert's, which went
    expect(await contextIds()).not.toContain(replaced);
    // every record keeps its last version, and each context one of those refers to
    const { rows } = await session((c) => c.query(`SELECT count(*)::int AS n FROM rowtrail.event e WHERE NOT EXISTS (SELECT 1 FROM rowtrail.context x WHERE x.id = e.context_id)`));
    expect(rows[0].n).toBe(0);
    const again = await alone((c) => trimHistory(c, { olderThan: '0 seconds', dryRun: true }));
    expect([again.tables.map((t) => t.events), again.contexts]).toEqual([[0, 0, 0], 0]);
  });

  it('deletes the diffs written before core version 5 of the events it deleted', async () => {
    await session((c) => c.query(`INSERT INTO rowtrail.diff (event_id, table_name, record_key, operation, changes, txid, created_at)
      VALUES (900001, 'public.account', '{"id": 9}', 'INSERT', '{"id": 9}', 1, '2020-01-01Z'), (900002, 'public.note', '{"id": 9}', 'INSERT', '{"id": 9}', 1, '2020-01-01Z')`));
    const result = await alone((c) => trimHistory(c, { before: '2021-01-01', tables: ['public.account'] }));
    expect([result.legacyDiffs, result.tables[0].events]).toEqual([1, 0]);
    expect(await session(async (c) => (await c.query(`SELECT table_name FROM rowtrail.diff`)).rows)).toEqual([{ table_name: 'public.note' }]);
  });
});
