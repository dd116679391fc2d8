import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../context/request-context.js';
import { activityFeed } from '../query/activity-feed.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { install } from './installer.js';

// A role granted exactly what docs/schema.md ("Privileges of the roles that write") lists can make every kind of
// write, and cannot backdate a context row to change whom an earlier request's events name.
let db: TestDatabase;
const role = `rowtrail_writer_${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  db = await createTestDatabase('writer_privileges');
  await db.pool.query(`CREATE TABLE account (id integer PRIMARY KEY, v text)`);
  await install(db.pool, [idValueSpec('account')]);
  await db.pool.query(`CREATE ROLE ${role}; GRANT SELECT, INSERT, UPDATE, DELETE ON account TO ${role}`);
  await db.pool.query(`GRANT USAGE ON SCHEMA rowtrail TO ${role};
    GRANT INSERT, SELECT ON rowtrail.account_history TO ${role};
    GRANT INSERT (id, metadata, application_name) ON rowtrail.context TO ${role};
    GRANT USAGE ON SEQUENCE rowtrail.event_id_seq TO ${role}`);
});
afterAll(async () => {
  await db.pool.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
  await db.drop();
});

async function asWriter(statements: string[]): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query(`SET ROLE ${role}`);
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.query('RESET ROLE');
    client.release();
  }
}

describe('the documented grants of a writing role', () => {
  it('suffice for inserts, updates, key changes of one and of several rows, and deletes, with context', async () => {
    const alice = createContext({ user: 'alice' });
    await asWriter([
      `${alice.comment} INSERT INTO account VALUES (1, 'a'), (2, 'b'), (3, 'c')`,
      `${alice.comment} UPDATE account SET v = 'a2' WHERE id = 1`,
      `${alice.comment} UPDATE account SET id = 11 WHERE id = 1`,
      `${alice.comment} UPDATE account SET id = id + 100 WHERE id IN (2, 3)`, // reads the history table back
      `${alice.comment} DELETE FROM account WHERE id = 11`,
    ]);
    const { events } = await activityFeed(db.pool, { tables: ['account'] }, { limit: 20 });
    expect(events.map((e) => e.operation)).toEqual(['DELETE', 'UPDATE', 'UPDATE', 'UPDATE', 'UPDATE', 'INSERT', 'INSERT', 'INSERT']);
    expect(new Set(events.map((e) => e.context?.user))).toEqual(new Set(['alice']));
  });

  it('do not let the role backdate a context row, which readers would take for an earlier request\'s', async () => {
    const { rows: [{ id }] } = await db.pool.query<{ id: string }>(`SELECT rowtrail_context_id::text AS id FROM rowtrail.account_history LIMIT 1`);
    await expect(asWriter([`INSERT INTO rowtrail.context (id, metadata, created_at) VALUES ('${id}', '{"user":"mallory"}', '2000-01-01')`]))
      .rejects.toThrow('permission denied for table context');
    await expect(asWriter([`INSERT INTO rowtrail.context (id, metadata, db_user) VALUES ('${id}', '{"user":"mallory"}', 'root')`]))
      .rejects.toThrow('permission denied for table context');
    // what it may insert comes after the request's own row, which readers keep taking
    await asWriter([`INSERT INTO rowtrail.context (id, metadata) VALUES ('${id}', '{"user":"mallory"}')`]);
    const { events } = await activityFeed(db.pool, { tables: ['account'] }, { limit: 20 });
    expect(new Set(events.map((e) => e.context?.user))).toEqual(new Set(['alice']));
  });
});
