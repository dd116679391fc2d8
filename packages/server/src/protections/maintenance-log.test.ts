// The maintenance log attributes every window to the session that opened it (sql/000006), also when a
// transaction inserts its own log row with another user, time and transaction, as it could until version 5.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { loadSqlMigrations, renderSql } from '../install/sql-files.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';

const account = idValueSpec('account');
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('maintenance_log');
  await db.pool.query(`CREATE TABLE account (id integer PRIMARY KEY, v text)`);
  await install(db.pool, [account]);
  await db.pool.query(`INSERT INTO account VALUES (1, 'a'), (2, 'b')`);
});
afterAll(() => db.drop());

/** The forgery: a log row naming another user, application and time, a window on it, history deleted. Returns the real facts. */
async function forgeWindow(client: pg.ClientBase): Promise<{ id: string; user: string; txid: string; before: Date }> {
  await client.query('BEGIN');
  try {
    const { rows: [facts] } = await client.query(`SELECT session_user AS user, txid_current()::text AS txid, clock_timestamp() AS before`);
    const { rows: [log] } = await client.query(
      `INSERT INTO rowtrail.maintenance_log (reason, db_user, application_name, performed_at) VALUES ('routine', 'alice_dba', 'cron', '2020-01-01') RETURNING id`,
    );
    await client.query(`SELECT set_config('rowtrail.maintenance', $1, true)`, [log.id]);
    await client.query(`DELETE FROM rowtrail.account_history`);
    await client.query('COMMIT');
    return { id: log.id, ...facts };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

describe('rowtrail.maintenance_log', () => {
  it('records a hand-inserted window with the real user, transaction and time, whatever the INSERT says', async () => {
    const client = await db.pool.connect();
    try {
      await client.query(`SET application_name = 'psql'`);
      const forged = await forgeWindow(client);
      const { rows } = await db.pool.query(`SELECT id, reason, db_user, application_name, txid::text, performed_at FROM rowtrail.maintenance_log`);
      expect(rows).toEqual([{ id: forged.id, reason: 'routine', db_user: forged.user, application_name: 'psql', txid: forged.txid, performed_at: expect.any(Date) }]);
      expect(forged.user).not.toBe('alice_dba');
      expect(rows[0].performed_at.getTime()).toBeGreaterThanOrEqual(forged.before.getTime());
    } finally {
      client.release();
    }
  });

  it('records the inserting transaction, so no row can open a window for a later one', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows: [own] } = await client.query(`SELECT txid_current() AS txid`);
      const { rows: [log] } = await client.query(
        `INSERT INTO rowtrail.maintenance_log (reason, txid) VALUES ('pre-registered', txid_current() + 1) RETURNING id, txid`,
      );
      await client.query('COMMIT');
      expect(log.txid).toBe(own.txid);
    } finally {
      client.release();
    }
  });

  it('still opens a window through begin_maintenance(), and the log itself can never change', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows: [opened] } = await client.query(`SELECT rowtrail.begin_maintenance('retention') AS id, session_user AS user, txid_current()::text AS txid`);
      await client.query(`DELETE FROM rowtrail.account_history`);
      for (const sql of [`UPDATE rowtrail.maintenance_log SET db_user = 'alice_dba'`, `DELETE FROM rowtrail.maintenance_log`, `TRUNCATE rowtrail.maintenance_log`]) {
        await client.query('SAVEPOINT attempt');
        const operation = sql.split(' ')[0].toLowerCase();
        await expect(client.query(sql), sql).rejects.toMatchObject({
          code: 'RT001',
          // not the advice for history tables (begin_maintenance), which this very window shows does not open the log
          message: `rowtrail: the maintenance log rowtrail.maintenance_log is never changed, not even in a maintenance window; cannot ${operation} it`,
          hint: 'The maintenance log is never changed, not even in a maintenance window.',
        });
        await client.query('ROLLBACK TO SAVEPOINT attempt');
      }
      await client.query('COMMIT');
      const { rows } = await db.pool.query(`SELECT db_user, txid::text FROM rowtrail.maintenance_log WHERE id = $1`, [opened.id]);
      expect(rows).toEqual([{ db_user: opened.user, txid: opened.txid }]);
    } finally {
      client.release();
    }
  });
});

describe('the maintenance functions and search_path (core version 16)', () => {
  it("cannot be fooled by a role's own txid_current(), clock_timestamp() and = ahead of pg_catalog", async () => {
    const role = `rowtrail_maint_${randomBytes(3).toString('hex')}`;
    const schema = `${role}_own`;
    await db.pool.query(`CREATE ROLE ${role}; CREATE SCHEMA ${schema} AUTHORIZATION ${role};
      GRANT USAGE ON SCHEMA rowtrail TO ${role}; GRANT INSERT, SELECT ON rowtrail.maintenance_log TO ${role};
      GRANT USAGE ON SEQUENCE rowtrail.maintenance_log_id_seq TO ${role}; GRANT SELECT, DELETE ON rowtrail.account_history TO ${role}`);
    try { // from here on, whatever fails, the role goes
      const client = await db.pool.connect();
      try {
        await db.pool.query(`INSERT INTO account VALUES (10, 'x') ON CONFLICT (id) DO UPDATE SET v = 'y'`);
        // another session's window, committed: its log row names that transaction
        const { rows: [theirs] } = await db.pool.query(`SELECT rowtrail.begin_maintenance('theirs') AS id`);
        const { rows: [{ txid: theirTxid }] } = await db.pool.query(`SELECT txid::text FROM rowtrail.maintenance_log WHERE id = $1`, [theirs.id]);
        await client.query(`SET ROLE ${role}`);
        await client.query(`CREATE FUNCTION ${schema}.clock_timestamp() RETURNS timestamptz LANGUAGE sql AS $$SELECT '2001-01-01+00'::timestamptz$$;
          CREATE FUNCTION ${schema}.txid_current() RETURNS bigint LANGUAGE sql AS $$SELECT txid FROM rowtrail.maintenance_log WHERE id = ${Number(theirs.id)}$$;
          CREATE FUNCTION ${schema}.always(bigint, bigint) RETURNS boolean LANGUAGE sql AS $$SELECT true$$;
          CREATE OPERATOR ${schema}.= (FUNCTION = ${schema}.always, LEFTARG = bigint, RIGHTARG = bigint)`);
        await client.query(`SET search_path = ${schema}, pg_catalog, public`);
        expect((await client.query(`SELECT clock_timestamp() < '2002-01-01+00' AS shadowed, txid_current()::text = $1 AS txid`, [theirTxid])).rows).toEqual([{ shadowed: true, txid: true }]);

        // the other session's window is not this transaction's
        await client.query('BEGIN');
        await client.query(`SELECT set_config('rowtrail.maintenance', $1, true)`, [theirs.id]);
        await expect(client.query(`DELETE FROM rowtrail.account_history`)).rejects.toMatchObject({ code: 'RT001' });
        await client.query('ROLLBACK');

        // its own window records its real transaction and time
        await client.query('BEGIN');
        const { rows: [opened] } = await client.query(`SELECT rowtrail.begin_maintenance('own') AS id, pg_catalog.txid_current()::text AS txid`);
        await client.query('COMMIT');
        const { rows } = await db.pool.query(`SELECT txid::text, performed_at > now() - interval '1 hour' AS recent FROM rowtrail.maintenance_log WHERE id = $1`, [opened.id]);
        expect(rows).toEqual([{ txid: opened.txid, recent: true }]);
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
        await client.query('RESET ROLE; RESET search_path');
        client.release();
      }
    } finally {
      await db.pool.query(`DROP SCHEMA ${schema} CASCADE; DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });
});

describe('upgrading from core version 5', () => {
  it('applies the attribution to a database that version 5 installed', async () => {
    const old = await createTestDatabase('maintenance_log_upgrade');
    try {
      await old.pool.query(`CREATE TABLE account (id integer PRIMARY KEY, v text)`);
      await old.pool.query(`CREATE SCHEMA rowtrail`);
      await old.pool.query(`CREATE TABLE rowtrail.migrations (id integer PRIMARY KEY, name text NOT NULL, hash text NOT NULL, installed_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
      for (const m of loadSqlMigrations().filter((x) => x.id <= 5)) {
        await old.pool.query(renderSql(m.source, 'rowtrail'));
        await old.pool.query(`INSERT INTO rowtrail.migrations (id, name, hash) VALUES ($1, $2, $3)`, [m.id, m.name, m.hash]);
      }
      // what version 5 allowed: a row that blames someone else
      await old.pool.query(`INSERT INTO rowtrail.maintenance_log (reason, db_user, performed_at) VALUES ('before the upgrade', 'alice_dba', '2020-01-01')`);

      const upgraded = await install(old.pool, [account]);
      expect(upgraded.appliedMigrations).toEqual(loadSqlMigrations().filter((m) => m.id > 5).map((m) => m.name));
      expect(upgraded.appliedMigrations[0]).toBe('maintenance_log_attribution');
      await old.pool.query(`INSERT INTO account VALUES (1, 'a')`);
      const client = await old.pool.connect();
      try {
        const forged = await forgeWindow(client);
        const { rows } = await old.pool.query(`SELECT reason, db_user, txid::text FROM rowtrail.maintenance_log ORDER BY id`);
        // rows written before stay as they were: the log is never changed
        expect(rows).toEqual([{ reason: 'before the upgrade', db_user: 'alice_dba', txid: expect.any(String) }, { reason: 'routine', db_user: forged.user, txid: forged.txid }]);
      } finally {
        client.release();
      }
    } finally {
      await old.drop();
    }
  });
});
