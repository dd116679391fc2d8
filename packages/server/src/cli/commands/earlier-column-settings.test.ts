// install --table keeps what earlier installs excluded: never by a renamed column or a concurrent install, recording a secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { runCli } from './run-cli.test-support.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('cli_earlier_settings');
});
afterAll(() => db.drop());

describe('rowtrail install --table, for a table an earlier install excluded columns of', () => {
  it('refuses to install a table again when an excluded column is gone and a column is new since (a rename?), changing nothing', async () => {
    await db.pool.query(`CREATE TABLE vault (id int PRIMARY KEY, password_hash text, note text)`);
    expect((await runCli(['install', '--table', 'vault', '--exclude', 'vault.password_hash'], { DATABASE_URL: db.url })).code).toBe(0);
    await db.pool.query(`ALTER TABLE vault RENAME COLUMN password_hash TO pw_hash`);
    const refused = await runCli(['install', '--table', 'vault'], { DATABASE_URL: db.url });
    expect([refused.code, refused.stderr]).toEqual([1, 'rowtrail: --table public.vault: password_hash, which an earlier install excluded from history, is no longer in the table, and pw_hash is new since that install (renamed?). '
      + 'To keep it out of history, add --exclude vault.pw_hash; to record it, add --record vault.pw_hash. Nothing was installed\n']);
    const excluded = async () => (await db.pool.query(`SELECT excluded FROM rowtrail.tracked_table WHERE table_name = 'public.vault'`)).rows[0].excluded;
    expect(await excluded()).toEqual(['password_hash']);
    const kept = await runCli(['install', '--table', 'vault', '--exclude', 'vault.pw_hash'], { DATABASE_URL: db.url });
    expect([kept.code, kept.stderr]).toEqual([0, '']);
    expect(kept.stdout).toContain('No longer excluding public.vault.password_hash: the table has no such column any more\n');
    expect(await excluded()).toEqual(['pw_hash']);
    await db.pool.query(`INSERT INTO vault VALUES (1, 'HASH-SECRET', 'n')`);
    const { rows } = await db.pool.query(`SELECT changes FROM rowtrail.event WHERE table_name = 'public.vault'`);
    expect(rows).toEqual([{ changes: { id: 1, note: 'n' } }]);
  });

  it('forgets, saying so, an exclusion whose column was dropped when no column is new', async () => {
    await db.pool.query(`CREATE TABLE locker (id int PRIMARY KEY, secret text, label text)`);
    expect((await runCli(['install', '--table', 'locker', '--exclude', 'locker.secret'], { DATABASE_URL: db.url })).code).toBe(0);
    await db.pool.query(`ALTER TABLE locker DROP COLUMN secret`);
    const result = await runCli(['install', '--table', 'locker'], { DATABASE_URL: db.url });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toContain('No longer excluding public.locker.secret: the table has no such column any more\n');
  });

  it('keeps an exclusion when two installs of the table run at once (the second reads it under the install lock)', async () => {
    await db.pool.query(`CREATE TABLE acct (id int PRIMARY KEY, secret text)`);
    const holder = await db.pool.connect();
    const waiting = async (n: number) => {
      for (let i = 0; i < 200; i++) {
        // Only this test's database: other runs on the same server take the install lock too.
        const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
        if (rows[0].n >= n) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`fewer than ${n} installs waiting for the install lock`);
    };
    try {
      await holder.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtext('rowtrail.install:' || 'rowtrail'))`);
      const first = runCli(['install', '--table', 'acct', '--exclude', 'acct.secret'], { DATABASE_URL: db.url });
      await waiting(1);
      const second = runCli(['install', '--table', 'acct'], { DATABASE_URL: db.url });
      await waiting(2);
      await holder.query('COMMIT');
      expect((await first).code).toBe(0);
      const after = await second;
      expect([after.code, after.stderr]).toEqual([0, '']);
      expect(after.stdout).toContain('Still excluding public.acct.secret');
    } finally {
      holder.release();
    }
    const { rows: [row] } = await db.pool.query(`SELECT excluded FROM rowtrail.tracked_table WHERE table_name = 'public.acct'`);
    expect(row.excluded).toEqual(['secret']);
  });

  it('records a column new since an excluded one went only when --record names it, keeping the other exclusions (after untrack too)', async () => {
    await db.pool.query(`CREATE TABLE safe (id int PRIMARY KEY, secret1 text, secret2 text)`);
    expect((await runCli(['install', '--table', 'safe', '--exclude', 'safe.secret1', '--exclude', 'safe.secret2'], { DATABASE_URL: db.url })).code).toBe(0);
    await db.pool.query(`ALTER TABLE safe DROP COLUMN secret1, ADD COLUMN note text`);
    const refused = await runCli(['install', '--table', 'safe'], { DATABASE_URL: db.url });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('To keep it out of history, add --exclude safe.note; to record it, add --record safe.note. Nothing was installed\n');
    // untracking forgets nothing: the same refusal, then the same answer
    expect((await runCli(['untrack', 'safe'], { DATABASE_URL: db.url })).code).toBe(0);
    expect((await runCli(['install', '--table', 'public.safe'], { DATABASE_URL: db.url })).stderr).toContain('to record it, add --record safe.note. Nothing was installed\n');
    const recorded = await runCli(['install', '--table', 'public.safe', '--record', 'safe.note'], { DATABASE_URL: db.url });
    expect([recorded.code, recorded.stderr]).toEqual([0, '']);
    expect(recorded.stdout).toContain('Still excluding public.safe.secret2');
    await db.pool.query(`INSERT INTO safe (id, secret2, note) VALUES (1, 'SECRET2', 'n')`);
    const { rows } = await db.pool.query(`SELECT changes FROM rowtrail.event WHERE table_name = 'public.safe'`);
    expect(rows).toEqual([{ changes: { id: 1, note: 'n' } }]);
  });
});
