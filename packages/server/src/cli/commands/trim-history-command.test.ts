import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { idValueSpec } from '../../testing/tracked-spec.js';
import { runCli } from './run-cli.test-support.js';

let db: TestDatabase;
let cutoff: string;
beforeAll(async () => {
  db = await createTestDatabase('cli_trim_history');
  await db.pool.query(`CREATE TABLE account (id integer PRIMARY KEY, v text)`);
  await install(db.pool, [idValueSpec('account')]);
  await db.pool.query(`INSERT INTO account VALUES (1, 'a'), (2, 'b')`);
  await new Promise((r) => setTimeout(r, 20));
  cutoff = (await db.pool.query<{ t: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t`)).rows[0].t;
  await db.pool.query(`UPDATE account SET v = 'a2' WHERE id = 1`);
});
afterAll(() => db.drop());

const events = async () => (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM rowtrail.account_history`)).rows[0].n;

describe('rowtrail trim-history', () => {
  it('counts without --yes and changes nothing; deletes with it, naming the maintenance log row', async () => {
    const dry = await runCli(['trim-history', '--before', cutoff], { DATABASE_URL: db.url });
    expect([dry.code, dry.stderr]).toEqual([0, '']);
    expect(dry.stdout).toBe([
      `Would delete 2 events of public.account before ${cutoff} (rowtrail.account_history)`,
      'Would delete 1 context that no kept event refers to', // the INSERT's: it ran without application context, one of its own
      'Nothing was deleted: run again with --yes to delete them (recorded in the maintenance log).', '',
    ].join('\n'));
    expect(await events()).toBe(3);

    const done = await runCli(['trim-history', '--before', cutoff, '--table', 'account', '--reason', 'ticket OPS-12', '--yes'], { DATABASE_URL: db.url });
    expect([done.code, done.stderr]).toEqual([0, '']);
    const { rows: [log] } = await db.pool.query(`SELECT id::text, reason FROM rowtrail.maintenance_log ORDER BY id DESC LIMIT 1`);
    expect(done.stdout).toBe([
      `Deleted 2 events of public.account before ${cutoff} (rowtrail.account_history)`,
      'Deleted 1 context that no kept event refers to',
      `Recorded in the maintenance log (id ${log.id}).`, '',
    ].join('\n'));
    expect(log.reason).toBe(`trim history: events before ${cutoff} of public.account: ticket OPS-12`);
    expect(await events()).toBe(1);
  });

  it('refuses, naming the flag: no cutoff or two, a time that is not one, an interval that is not one, an unknown table', async () => {
    for (const [args, message] of [
      [[], 'trim-history needs one of --before <time> and --older-than <interval>'],
      [['--before', cutoff, '--older-than', '1 day'], 'trim-history needs one of --before <time> and --older-than <interval>'],
      [['--before', 'yesterday'], /--before: /],
      [['--older-than', 'a while'], `--older-than: "a while" is not a PostgreSQL interval such as '90 days' or '2 years'`],
      [['--older-than', '1 day', '--older-than', '2 days'], '--older-than was given more than once'],
      [['--older-than', '1 day', '--table', 'nope', '--yes'], 'public.nope is not tracked by the Rowtrail installation in schema "rowtrail"; nothing was deleted'],
    ] as const) {
      const result = await runCli(['trim-history', ...args], { DATABASE_URL: db.url });
      expect(result.code, args.join(' ')).toBe(1);
      if (typeof message === 'string') expect(result.stderr).toContain(message);
      else expect(result.stderr).toMatch(message);
    }
    expect(await events()).toBe(1);
  });
});
