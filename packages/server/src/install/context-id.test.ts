import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createContext } from '../context/request-context.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { recordHistory } from '../query/record-history.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { install } from './installer.js';

// The capture stores a statement's context with rowtrail.save_context(), which
// remembers, per session, the last application context it stored (sql/000003,
// sql/000005). These tests pin what that cache may never do: skip a context row
// that a rollback removed, or lend one context to another.
let db: TestDatabase;
const spec: TrackedTableSpec = {
  schema: 'public', table: 'counter', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'n', type: 'integer' }],
};

beforeAll(async () => {
  db = await createTestDatabase('context_id');
  await db.pool.query(`CREATE TABLE counter (id integer PRIMARY KEY, n integer NOT NULL)`);
  await db.pool.query(`INSERT INTO counter SELECT g, 0 FROM generate_series(1, 10) g`);
  await install(db.pool, [spec]);
});
afterAll(() => db.drop());

async function withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

const contextRows = async (id: string) =>
  (await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.context WHERE id = $1`, [id])).rows[0].n as number;

/** Context request ids of the record's events, oldest first, read through the query API. */
async function requestIdsOf(recordId: number): Promise<Array<string | null>> {
  const page = await recordHistory(db.pool, 'public.counter', { id: recordId }, { order: 'asc' });
  return page.events.map((e) => e.context?.requestId ?? null);
}

describe('context rows', () => {
  it('stores a context once for several transactions of one request on one session', async () => {
    const ctx = createContext({ requestId: 'several-transactions' });
    await withClient(async (client) => {
      for (let i = 0; i < 3; i++) await client.query(`${ctx.comment}UPDATE counter SET n = n + 1 WHERE id = 1`);
      await client.query('BEGIN');
      await client.query(`${ctx.comment}UPDATE counter SET n = n + 1 WHERE id = 1`);
      await client.query(`${ctx.comment}UPDATE counter SET n = n + 1 WHERE id = 1`);
      await client.query('COMMIT');
    });
    expect(await contextRows(ctx.id)).toBe(1);
    expect(await requestIdsOf(1)).toEqual(Array(5).fill('several-transactions'));
  });

  it('stores the context again after a rollback removed it', async () => {
    const ctx = createContext({ requestId: 'after-rollback' });
    await withClient(async (client) => {
      await client.query('BEGIN');
      await client.query(`${ctx.comment}UPDATE counter SET n = n + 1 WHERE id = 2`);
      await client.query('ROLLBACK');
      await client.query(`${ctx.comment}UPDATE counter SET n = n + 1 WHERE id = 2`);
    });
    expect(await contextRows(ctx.id)).toBe(1);
    expect(await requestIdsOf(2)).toEqual(['after-rollback']);
  });

  it('stores the context again after a rollback to a savepoint removed it', async () => {
    const ctx = createContext({ requestId: 'after-savepoint' });
    await withClient(async (client) => {
      await client.query('BEGIN');
      await client.query('SAVEPOINT s');
      await client.query(`${ctx.comment}UPDATE counter SET n = n + 1 WHERE id = 3`);
      await client.query('ROLLBACK TO SAVEPOINT s');
      await client.query(`${ctx.comment}UPDATE counter SET n = n + 1 WHERE id = 3`);
      await client.query('COMMIT');
    });
    expect(await contextRows(ctx.id)).toBe(1);
    expect(await requestIdsOf(3)).toEqual(['after-savepoint']);
  });

  it('stores the context again after a failed statement aborted the transaction', async () => {
    const ctx = createContext({ requestId: 'after-error' });
    await withClient(async (client) => {
      await client.query('BEGIN');
      await client.query(`${ctx.comment}UPDATE counter SET n = n + 1 WHERE id = 4`);
      await expect(client.query(`${ctx.comment}UPDATE counter SET n = n / 0 WHERE id = 4`)).rejects.toThrow(/division by zero/);
      await client.query('ROLLBACK');
      await client.query(`${ctx.comment}UPDATE counter SET n = n + 1 WHERE id = 4`);
    });
    expect(await contextRows(ctx.id)).toBe(1);
    expect(await requestIdsOf(4)).toEqual(['after-error']);
  });

  it('never lends a session\'s last application context to a statement without one', async () => {
    const ctx = createContext({ requestId: 'before-raw-sql' });
    await withClient(async (client) => {
      await client.query(`${ctx.comment}UPDATE counter SET n = n + 1 WHERE id = 5`);
      await client.query(`UPDATE counter SET n = n + 1 WHERE id = 5`);
      await client.query(`UPDATE counter SET n = n + 1 WHERE id = 5`);
    });
    const page = await recordHistory(db.pool, 'public.counter', { id: 5 }, { order: 'asc' });
    const [app, raw1, raw2] = page.events.map((e) => e.context);
    expect(app?.requestId).toBe('before-raw-sql');
    expect([raw1?.requestId, raw2?.requestId]).toEqual([null, null]);
    expect(raw1?.id).not.toBe(raw2?.id); // one context per transaction without application context
    expect(raw1?.id).not.toBe(app?.id);
  });

  it('interleaved requests on one session each keep their own context', async () => {
    const a = createContext({ requestId: 'interleaved-a' });
    const b = createContext({ requestId: 'interleaved-b' });
    await withClient(async (client) => {
      for (const ctx of [a, b, a, b]) await client.query(`${ctx.comment}UPDATE counter SET n = n + 1 WHERE id = 6`);
    });
    expect(await requestIdsOf(6)).toEqual(['interleaved-a', 'interleaved-b', 'interleaved-a', 'interleaved-b']);
  });

  it('two Rowtrail schemas in one database each store the context one session writes under', async () => {
    await db.pool.query(`CREATE TABLE other_counter (id integer PRIMARY KEY, n integer NOT NULL); INSERT INTO other_counter VALUES (1, 0)`);
    await install(db.pool, [{ ...spec, table: 'other_counter' }], { schema: 'audit "two"' });
    const ctx = createContext({ requestId: 'two-schemas' });
    await withClient(async (client) => {
      await client.query(`${ctx.comment}UPDATE counter SET n = n + 1 WHERE id = 8`);
      await client.query(`${ctx.comment}UPDATE other_counter SET n = n + 1 WHERE id = 1`);
    });
    expect(await requestIdsOf(8)).toEqual(['two-schemas']);
    const other = await recordHistory(db.pool, 'public.other_counter', { id: 1 }, { schema: 'audit "two"' });
    expect(other.events.map((e) => e.context?.requestId)).toEqual(['two-schemas']);
  });

  it('a statement that changes no row stores no context', async () => {
    const ctx = createContext({ requestId: 'no-change' });
    await db.pool.query(`${ctx.comment}UPDATE counter SET n = n WHERE id = 7`);
    await db.pool.query(`${ctx.comment}UPDATE counter SET n = n + 1 WHERE id = -1`);
    await db.pool.query(`${ctx.comment}DELETE FROM counter WHERE id = -1`);
    expect(await contextRows(ctx.id)).toBe(0);
  });

  it('a transaction without application context has one context per Rowtrail schema, however its writes alternate', async () => {
    await withClient(async (client) => {
      await client.query('BEGIN');
      for (let i = 0; i < 2; i++) {
        await client.query(`UPDATE counter SET n = n + 1 WHERE id = 9`);
        await client.query(`UPDATE other_counter SET n = n + 1 WHERE id = 1`);
      }
      await client.query('COMMIT');
    });
    const here = await recordHistory(db.pool, 'public.counter', { id: 9 }, { order: 'asc' });
    const other = await recordHistory(db.pool, 'public.other_counter', { id: 1 }, { schema: 'audit "two"', order: 'asc' });
    const ids = (events: typeof here.events) => new Set(events.map((e) => e.context?.id));
    expect(ids(here.events).size).toBe(1);
    expect(ids(other.events.slice(-2)).size).toBe(1);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.context WHERE id = $1`, [here.events[0].context?.id])).rows[0].n).toBe(1);
  });

  it('reads a context id written in another form than the driver\'s from the comment\'s JSON', async () => {
    const id = '0189aaaa-0000-7000-8000-000000000123';
    const comment = `/*rowtrail:{"id":"${id.replace(/-/g, '').toUpperCase()}","m":{"requestId":"hand-written"}}*/`;
    await db.pool.query(`${comment}UPDATE counter SET n = n + 1 WHERE id = 10`);
    const page = await recordHistory(db.pool, 'public.counter', { id: 10 });
    expect(page.events[0].context).toMatchObject({ id, requestId: 'hand-written' });
  });

  it('stores one context row for every kind of capture statement of one request', async () => {
    const ctx = createContext({ requestId: 'every-statement-kind' });
    await withClient(async (client) => {
      await client.query(`${ctx.comment}INSERT INTO counter VALUES (100, 0), (101, 0)`);
      await client.query(`${ctx.comment}UPDATE counter SET n = n + 1 WHERE id IN (100, 101)`); // multi-row path
      await client.query(`${ctx.comment}UPDATE counter SET id = 102 WHERE id = 101`); // key-change trigger
      await client.query(`${ctx.comment}DELETE FROM counter WHERE id IN (100, 102)`);
    });
    expect(await contextRows(ctx.id)).toBe(1);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n, count(DISTINCT context_id)::int AS contexts FROM rowtrail.event WHERE context_id = $1`, [ctx.id]);
    expect(rows[0]).toEqual({ n: 7, contexts: 1 });
  });
});

describe('a statement without text (a fast-path function call: current_query() is NULL)', () => {
  it('is a write without application context: the session user\'s, as one without a comment (it failed on the missing comment)', async () => {
    await withClient(async (client) => {
      await client.query('BEGIN');
      const { rows: [{ ctx }] } = await client.query<{ ctx: string }>(`SELECT rowtrail.statement_context_id(NULL) AS ctx`);
      expect(ctx).toMatch(/^[0-9a-f-]{36}$/);
      expect((await client.query(`SELECT rowtrail.save_context(NULL, $1) AS saved`, [ctx])).rows[0].saved).toBe(true);
      // the transaction's context-less id is read back, as for a statement without a comment
      expect((await client.query(`SELECT rowtrail.statement_context_id(NULL) AS again, rowtrail.statement_context_id('UPDATE counter SET n = 1') AS plain`)).rows[0])
        .toEqual({ again: ctx, plain: ctx });
      expect((await client.query(`SELECT metadata, db_user = session_user AS by_session_user FROM rowtrail.context WHERE id = $1`, [ctx])).rows)
        .toEqual([{ metadata: {}, by_session_user: true }]);
      await client.query('ROLLBACK');
    });
  });
});
