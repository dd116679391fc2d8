import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { untilAlone, withSession } from '../../testing/lone-session.js';
import { idValueSpec } from '../../testing/tracked-spec.js';
import { runCli } from './run-cli.test-support.js';

// Sessions of this file are short (db.pool is not used): a session still connected would keep the contexts it may
// have stored (trimHistory's contextsBefore), which these tests expect to see deleted.
let db: TestDatabase;
let cutoff: string;
const session = <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => withSession(db.url, fn);
/** Waits until no session is connected to the test database (a closed one may linger for a moment). */
const quiet = () => session(untilAlone);

beforeAll(async () => {
  db = await createTestDatabase('cli_trim_history');
  await session(async (w) => {
    await w.query(`CREATE TABLE account (id integer PRIMARY KEY, v text)`);
    await install(w, [idValueSpec('account')]);
    // each statement its own transaction without application context: a context row each
    await w.query(`INSERT INTO account VALUES (1, 'a')`);
    await w.query(`INSERT INTO account VALUES (2, 'b')`);
    await w.query(`UPDATE account SET v = 'a1' WHERE id = 1`);
    await new Promise((r) => setTimeout(r, 20));
    cutoff = (await w.query<{ t: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t`)).rows[0].t;
    await w.query(`UPDATE account SET v = 'a2' WHERE id = 1`);
  });
});
afterAll(() => db.drop());

const events = () => session(async (c) => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM rowtrail.account_history`)).rows[0].n);

describe('rowtrail trim-history', () => {
  it('counts without --yes and changes nothing; deletes with it, naming the maintenance log row', async () => {
    await quiet();
    const dry = await runCli(['trim-history', '--before', cutoff], { DATABASE_URL: db.url });
    expect([dry.code, dry.stderr]).toEqual([0, '']);
    // record 1's insert goes; its update before the cutoff, and record 2's insert, are their last versions before it
    expect(dry.stdout).toBe([
      `Would delete 1 event of public.account before ${cutoff} (rowtrail.account_history), keeping the last version before it of 2 records`,
      'Would delete 1 context that no kept event refers to', // the first INSERT's: it ran without application context, one of its own
      'Nothing was deleted: run again with --yes to delete them (recorded in the maintenance log).', '',
    ].join('\n'));
    expect(await events()).toBe(4);

    await quiet();
    const done = await runCli(['trim-history', '--before', cutoff, '--table', 'account', '--reason', 'ticket OPS-12', '--yes'], { DATABASE_URL: db.url });
    expect([done.code, done.stderr]).toEqual([0, '']);
    const log = await session(async (c) => (await c.query(`SELECT id::text, reason FROM rowtrail.maintenance_log ORDER BY id DESC LIMIT 1`)).rows[0]);
    expect(done.stdout).toBe([
      `Deleted 1 event of public.account before ${cutoff} (rowtrail.account_history), keeping the last version before it of 2 records`,
      'Deleted 1 context that no kept event refers to',
      `Recorded in the maintenance log (id ${log.id}).`, '',
    ].join('\n'));
    expect(log.reason).toBe(`trim history: events before ${cutoff} of public.account: ticket OPS-12`);
    expect(await events()).toBe(3);

    await quiet();
    const nothing = await runCli(['trim-history', '--before', cutoff, '--yes'], { DATABASE_URL: db.url });
    expect(nothing.stdout).toContain('Nothing to delete: nothing was changed or logged.');
  });

  it('refuses, naming the flag: no cutoff or two, a time that is not one, an interval that is not one, an unknown table', async () => {
    for (const [args, message] of [
      [[], 'trim-history needs one of --before <time> and --older-than <interval>'],
      [['--before', cutoff, '--older-than', '1 day'], 'give one of --before <time> and --older-than <interval>, not both'],
      [['--before', 'yesterday'], /--before: /],
      [['--older-than', 'a while'], `--older-than: "a while" is not a PostgreSQL interval such as '90 days' or '2 years'`],
      [['--older-than', '90'], `--older-than: "90" has no unit: write it with one, such as '90 days' or '2 years'`],
      [['--before', '2025-01-01T00:00:00 02:00'], /--before: must be an ISO 8601 .* \(write the offset with its sign, such as \+02:00\)$/m],
      [['--older-than', '1 day', '--older-than', '2 days'], '--older-than was given more than once'],
      [['--older-than', '1 day', '--table', 'nope', '--yes'], 'public.nope is not tracked by the Rowtrail installation in schema "rowtrail"; nothing was deleted'],
    ] as const) {
      const result = await runCli(['trim-history', ...args], { DATABASE_URL: db.url });
      expect(result.code, args.join(' ')).toBe(1);
      if (typeof message === 'string') expect(result.stderr).toContain(message);
      else expect(result.stderr).toMatch(message);
    }
    expect(await events()).toBe(3);
  });
});
