// Writes made without application context (psql, migrations) are shown by their database user; the dbUser filter
// finds them by it, through the feed, the activity buckets and exports; the partial index docs/schema.md suggests serves it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextDriver } from '../context/pg-context-driver.js';
import { run } from '../context/request-context.js';
import { prepareExport } from '../export/diff-export.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { activityBuckets } from './activity-buckets.js';
import { activityFeed } from './activity-feed.js';
import { SqlParams } from './event-sql.js';
import { filterConditions } from './event-filter.js';
import { loadRegistry } from './tracked-table-registry.js';

let db: TestDatabase;
const operator = `rowtrail_ops_${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  db = await createTestDatabase('db_user_filter');
  await db.pool.query(`CREATE TABLE account (id integer PRIMARY KEY, v text)`);
  await install(db.pool, [idValueSpec('account')]);
  await db.pool.query(`CREATE ROLE ${operator}; GRANT SELECT, INSERT, UPDATE, DELETE ON account TO ${operator};
    GRANT USAGE ON SCHEMA rowtrail TO ${operator}; GRANT INSERT, SELECT ON rowtrail.account_history TO ${operator};
    GRANT INSERT (id, metadata, application_name) ON rowtrail.context TO ${operator}; GRANT USAGE ON SEQUENCE rowtrail.event_id_seq TO ${operator}`);
  // the application, in a request (its database user is this connection's)
  const driver = new (createContextDriver(pg).Pool)({ connectionString: db.url, max: 1 });
  try {
    await run({ user: 'alice' }, () => driver.query(`INSERT INTO account VALUES (1, 'a'), (2, 'b')`));
  } finally {
    await driver.end();
  }
  // an operator in psql: no context comment, session_user is the operator, in two transactions
  const client = await db.pool.connect();
  try {
    await client.query(`SET SESSION AUTHORIZATION ${operator}`);
    await client.query(`UPDATE account SET v = 'fixed' WHERE id = 1`);
    await client.query(`DELETE FROM account WHERE id = 2`);
  } finally {
    await client.query('RESET SESSION AUTHORIZATION');
    client.release();
  }
});
afterAll(async () => {
  await db.pool.query(`DROP OWNED BY ${operator}; DROP ROLE ${operator}`);
  await db.drop();
});

describe('the dbUser filter', () => {
  it('selects the writes made without application context by that database user, in the feed, buckets and exports', async () => {
    const { events } = await activityFeed(db.pool, { dbUser: operator });
    expect(events.map((e) => [e.operation, e.recordKey, e.context?.dbUser])).toEqual([['DELETE', { id: 2 }, operator], ['UPDATE', { id: 1 }, operator]]);
    const { buckets } = await activityBuckets(db.pool, { dbUser: operator }, { bucket: 'day' });
    expect(buckets.map((b) => [b.INSERT, b.UPDATE, b.DELETE])).toEqual([[0, 1, 1]]);
    const prepared = await prepareExport(db.pool, { kind: 'filter', filter: { dbUser: operator } });
    expect(await prepared.count()).toBe(2);
  });

  it('does not select a request\'s writes, although they share a database user', async () => {
    const { rows: [{ me }] } = await db.pool.query(`SELECT session_user AS me`);
    expect((await activityFeed(db.pool, { dbUser: me })).events).toEqual([]);
    expect((await activityFeed(db.pool, { user: 'alice' })).events).toHaveLength(2);
    expect((await activityFeed(db.pool, { dbUser: 'nobody' })).events).toEqual([]);
  });

  it('selects contexts by the condition of the partial index docs/schema.md suggests, so the planner can read them from it', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`CREATE INDEX context_db_user_idx ON rowtrail.context (db_user) WHERE metadata = '{}'::jsonb`); // the index docs/schema.md gives (built CONCURRENTLY there), rolled back with this transaction
      await client.query('SET LOCAL enable_seqscan = off'); // a tiny table would be scanned anyway: ask whether the index is usable at all
      const params = new SqlParams();
      const where = filterConditions({ dbUser: operator }, await loadRegistry(db.pool), params, 'rowtrail');
      const { rows } = await client.query(`EXPLAIN SELECT d.event_id FROM rowtrail.event d WHERE ${where.join(' AND ')} ORDER BY d.event_id DESC LIMIT 51`, params.values);
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('context_db_user_idx');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('refuses a value that is not a string, naming the field', async () => {
    await expect(activityFeed(db.pool, { dbUser: 5 as unknown as string })).rejects.toMatchObject({ status: 400, parameter: 'dbUser' });
  });
});
