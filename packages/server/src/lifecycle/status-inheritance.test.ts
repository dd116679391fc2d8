// A tracked table that becomes part of an inheritance hierarchy after its install: status says what history records
// of it now, and advises what can be done (install refuses the table as it is), not an install that then refuses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/commands/run-cli.test-support.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { install } from '../install/installer.js';
import { status } from './status.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('status_inheritance');
  await db.pool.query(`CREATE TABLE acct (id int PRIMARY KEY, bal int)`);
  await db.pool.query(`CREATE TABLE ledger (id int PRIMARY KEY, v text)`);
});
afterAll(() => db.drop());

const events = async () => (await db.pool.query(`SELECT table_name, operation, record_key FROM rowtrail.event ORDER BY event_id`)).rows
  .map((r) => `${r.operation} ${r.table_name} ${r.record_key.id}`);

describe('a table tracked with install --table that gets an inheritance child', () => {
  it('is reported as recording the child\'s rows under its name, with advice that can be followed', async () => {
    expect((await runCli(['install', '--table', 'public.acct'], { DATABASE_URL: db.url })).code).toBe(0);
    await db.pool.query(`INSERT INTO acct VALUES (1, 10)`);
    await db.pool.query(`CREATE TABLE acct_child () INHERITS (acct)`);
    await db.pool.query(`INSERT INTO acct_child VALUES (2, 20)`);
    await db.pool.query(`UPDATE acct SET bal = bal + 1`);
    await db.pool.query(`UPDATE acct_child SET bal = bal + 1`);
    // what the status says: the child's rows recorded as acct's, an update of a record whose insert history never saw
    expect(await events()).toEqual(['INSERT public.acct 1', 'UPDATE public.acct 1', 'UPDATE public.acct 2']);

    const listing = await runCli(['status'], { DATABASE_URL: db.url });
    const capture = 'history misses changes: acct_child inherits from it now: statements on public.acct also change that table\'s rows, which history '
      + 'records as public.acct\'s (updates and deletes of records whose insert it never saw, keyed as public.acct\'s own), while statements on acct_child '
      + 'itself are not recorded at all; install refuses public.acct as it is: run ALTER TABLE acct_child NO INHERIT acct to track it again, or stop '
      + 'tracking it with rowtrail untrack public.acct (its history is kept)';
    expect(listing.stdout).toContain(`outdated  capture        public.acct                  capture  (install --table)  ${capture}\n`);
    expect(listing.stdout).toMatch(/\nNot up to date: public\.acct cannot be tracked as it is now \(its capture entry says why\): take it out of the partitioned table or inheritance hierarchy as that entry says, then run rowtrail install --table public\.acct; or run rowtrail untrack public\.acct\.\n$/);

    // following it: the table tracked again, up to date
    await db.pool.query(`ALTER TABLE acct_child NO INHERIT acct`);
    expect((await runCli(['install', '--table', 'public.acct'], { DATABASE_URL: db.url })).code).toBe(0);
    expect((await runCli(['status', '--check'], { DATABASE_URL: db.url })).stdout).toMatch(/Everything is installed\.\n$/);
  });
});

describe('an application\'s tracked table made to inherit from another', () => {
  it('is reported as missing what statements on the parent change, the advice naming the statement and prune', async () => {
    await install(db.pool, [idValueSpec('ledger')]);
    await db.pool.query(`CREATE TABLE ledger_base (id int, v text); ALTER TABLE ledger INHERIT ledger_base`);
    const capture = (await status(db.pool, [idValueSpec('ledger')])).entries.find((e) => e.kind === 'capture' && e.table === 'public.ledger');
    expect(capture).toMatchObject({
      state: 'outdated',
      detail: 'history misses changes: it inherits from ledger_base now: statements on ledger_base that change its rows do not fire its capture, so history '
        + 'misses those changes; install refuses public.ledger as it is: run ALTER TABLE ledger NO INHERIT ledger_base to track it again, or stop tracking '
        + 'it: stop declaring it (@Tracked), then prune',
    });
    await db.pool.query(`ALTER TABLE ledger NO INHERIT ledger_base`);
    await install(db.pool, [idValueSpec('ledger')]);
    expect((await status(db.pool, [idValueSpec('ledger')])).entries.find((e) => e.kind === 'capture' && e.table === 'public.ledger')?.state).toBe('installed');
  });
});
