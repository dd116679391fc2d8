import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareExport } from '../export/diff-export.js';
import { startServer } from '../http/standalone-server.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { activityBuckets } from './activity-buckets.js';
import { activityFeed } from './activity-feed.js';

// "Who changed this email?": the feed's changed filter selects the updates whose diff has the columns named.
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('changed_filter');
  await db.pool.query(`CREATE TABLE customer (id integer PRIMARY KEY, email text, name text, phone text, secret text)`);
  await install(db.pool, [{
    schema: 'public', table: 'customer', primaryKey: ['id'], label: 'customer', exclude: ['secret'], ignoreChanges: [],
    columns: ['id', 'email', 'name', 'phone', 'secret'].map((name) => ({ name, type: name === 'id' ? 'integer' : 'text' })),
  }]);
  await db.pool.query(`INSERT INTO customer VALUES (1, 'a@x', 'Ann', '1', 's'), (2, 'b@x', 'Bob', '2', 's'), (3, 'c@x', 'Cy', '3', 's');
    UPDATE customer SET email = 'ann@x' WHERE id = 1;
    UPDATE customer SET name = 'Anne' WHERE id = 1;
    UPDATE customer SET email = 'bob@x', phone = '22' WHERE id = 2;
    UPDATE customer SET secret = 't' WHERE id = 3;
    DELETE FROM customer WHERE id = 3`);
});
afterAll(() => db.drop());

const changes = async (changed: string[], recordKey?: Record<string, unknown>) =>
  (await activityFeed(db.pool, { tables: ['customer'], changed, recordKey })).events.map((e) => [e.recordKey.id, e.changes]);

describe('the changed filter', () => {
  it('selects the updates that changed any of the columns named, newest first, not inserts or deletes', async () => {
    expect(await changes(['email'])).toEqual([[2, { email: ['b@x', 'bob@x'], phone: ['2', '22'] }], [1, { email: ['a@x', 'ann@x'] }]]);
    expect(await changes(['phone', 'name'])).toEqual([[2, { email: ['b@x', 'bob@x'], phone: ['2', '22'] }], [1, { name: ['Ann', 'Anne'] }]]);
    expect(await changes(['email'], { id: 1 })).toEqual([[1, { email: ['a@x', 'ann@x'] }]]);
    expect(await changes([])).toHaveLength(7); // no column: no filter (the update of the excluded column made no event)
  });

  it('selects the same events in the activity buckets and a filtered export', async () => {
    const { buckets } = await activityBuckets(db.pool, { tables: ['customer'], changed: ['email'] });
    expect(buckets.reduce((n, b) => n + b.INSERT + b.UPDATE + b.DELETE, 0)).toBe(2);
    const exported = await prepareExport(db.pool, { kind: 'filter', filter: { tables: ['customer'], changed: ['email'] } });
    expect(await exported.count()).toBe(2);
  });

  it('refuses a column history does not record (an excluded one too) and a filter without exactly one table', async () => {
    await expect(activityFeed(db.pool, { tables: ['customer'], changed: ['emial'] })).rejects.toMatchObject({
      status: 400, parameter: 'changed', message: 'changed: "emial" is not a column history records for public.customer (id, email, name, phone)',
    });
    await expect(activityFeed(db.pool, { tables: ['customer'], changed: ['secret'] })).rejects.toMatchObject({ parameter: 'changed' });
    await expect(activityFeed(db.pool, { changed: ['email'] })).rejects.toMatchObject({ status: 400, parameter: 'changed', message: 'changed: needs exactly one "table" parameter' });
    await expect(activityFeed(db.pool, { tables: ['customer'], changed: 'email' as never })).rejects.toMatchObject({ parameter: 'changed' });
  });

  it('is a repeatable parameter of the HTTP API', async () => {
    const server = await startServer({ pool: db.pool, port: 0 });
    try {
      const get = (query: string) => fetch(`${server.url}/api/events?${query}`, { headers: { authorization: `Bearer ${server.token}` } });
      const response = await get('table=customer&changed=name&changed=phone');
      expect(response.status).toBe(200);
      expect(((await response.json()) as { events: Array<{ recordKey: { id: number } }> }).events.map((e) => e.recordKey.id)).toEqual([2, 1]);
      const bad = await get('table=customer&changed=nope');
      expect([bad.status, (await bad.json()).error.parameter]).toEqual([400, 'changed']);
    } finally {
      await server.close();
    }
  });

  it('finds the changes of a column renamed (or dropped) since: its history column and its diffs stay', async () => {
    await db.pool.query(`ALTER TABLE customer RENAME COLUMN phone TO mobile`);
    await install(db.pool, [{
      schema: 'public', table: 'customer', primaryKey: ['id'], label: 'customer', exclude: ['secret'], ignoreChanges: [],
      columns: ['id', 'email', 'name', 'mobile', 'secret'].map((name) => ({ name, type: name === 'id' ? 'integer' : 'text' })),
    }]);
    await db.pool.query(`UPDATE customer SET mobile = '23' WHERE id = 2`);
    const pool = new pg.Pool({ connectionString: db.url, max: 1 }); // a registry read after the change
    try {
      const feed = async (changed: string[]) => (await activityFeed(pool, { tables: ['customer'], changed })).events.map((e) => e.changes);
      expect(await feed(['phone'])).toEqual([{ email: ['b@x', 'bob@x'], phone: ['2', '22'] }]);
      expect(await feed(['mobile'])).toEqual([{ mobile: ['22', '23'] }]);
      await expect(feed(['fax'])).rejects.toMatchObject({ message: 'changed: "fax" is not a column history records for public.customer (id, email, name, mobile)' });
    } finally {
      await pool.end();
    }
  });
});
