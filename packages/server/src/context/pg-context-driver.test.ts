import pg from 'pg';
import Cursor from 'pg-cursor';
import QueryStream from 'pg-query-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import type { TestDatabase } from '../testing/test-database.js';
import { LineItem, Product, UntrackedNote } from '../typeorm/test-entities.js';
import { historySince, lastEventId } from '../typeorm/test-history.js';
import { openTrackedDatabase, type TrackedTestDatabase } from '../typeorm/tracked-test-database.js';
import { createContextDriver } from './pg-context-driver.js';
import { createContext, createLiveContext, currentContext, run } from './request-context.js';

let opened: TrackedTestDatabase;
let db: TestDatabase;
let dataSource: DataSource;
const pools: pg.Pool[] = [];

/** A pool of the context driver on this file's database (closed after the file). */
function contextPool(max: number, options: Parameters<typeof createContextDriver>[1] = {}, config: pg.PoolConfig = {}): pg.Pool {
  const driver = createContextDriver(pg, options);
  const pool = new driver.Pool({ connectionString: db.url, max, ...config });
  pools.push(pool);
  return pool;
}

const currentQuery = `SELECT current_query() AS q`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  opened = await openTrackedDatabase('pg_context_driver', [Product, LineItem, UntrackedNote], 2);
  ({ db, dataSource } = opened);
});
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
  await opened?.close();
});

describe('pool.query() waiting for a connection', () => {
  it('runs with its caller\'s context, not the context of the request that released the connection', async () => {
    const pool = contextPool(1);
    const alice = createContext({ user: 'alice' });
    const bob = createContext({ user: 'bob' });
    const held = await run(alice, () => pool.connect());
    const bobQuery = run(bob, () => pool.query<{ q: string }>(currentQuery)); // waits for the only connection
    const noContextQuery = pool.query<{ q: string }>(currentQuery); // so does a statement made outside any context
    expect(pool.waitingCount).toBe(2);
    await run(alice, async () => {
      await sleep(20);
      held.release(); // pg-pool hands the connection on from here, in Alice's async scope
    });
    expect((await bobQuery).rows[0].q).toBe(bob.comment + currentQuery);
    expect((await noContextQuery).rows[0].q).toBe(currentQuery);
  });

  it('callback-style pool.connect() calls back in its caller\'s context', async () => {
    const pool = contextPool(1);
    const alice = createContext({ user: 'alice' });
    const bob = createContext({ user: 'bob' });
    const held = await run(alice, () => pool.connect());
    const seen = run(bob, () =>
      new Promise<{ context: string | undefined; q: string }>((resolve, reject) => {
        pool.connect((error, client, release) => {
          if (error || !client) return reject(error);
          const context = currentContext()?.metadata.user as string | undefined;
          client.query<{ q: string }>(currentQuery).then(
            (result) => {
              release();
              resolve({ context, q: result.rows[0].q });
            },
            (queryError: Error) => {
              release(queryError);
              reject(queryError);
            },
          );
        });
      }),
    );
    await run(alice, async () => {
      await sleep(20);
      held.release();
    });
    expect(await seen).toEqual({ context: 'bob', q: bob.comment + currentQuery });
  });
});

describe('callback-style pool.connect()', () => {
  const connect = (pool: pg.Pool) =>
    new Promise<pg.PoolClient>((resolve, reject) => pool.connect((error, client) => (error || !client ? reject(error) : resolve(client))));

  /** The next borrower gets the connection outside any transaction: its autocommit statement's transaction began with it. */
  async function expectCleanNextBorrower(pool: pg.Pool): Promise<void> {
    const next = await connect(pool);
    try {
      expect(next.getTransactionStatus()).toBe('I');
      expect((await next.query(`SELECT now() = statement_timestamp() AS own_transaction`)).rows[0].own_transaction).toBe(true);
    } finally {
      next.release();
    }
  }

  it('client.release() inside an open transaction rolls it back before the next borrower gets the connection', async () => {
    const pool = contextPool(1);
    const first = await connect(pool);
    await first.query('BEGIN');
    await first.query(`CREATE TEMP TABLE leaked_transaction_probe (id int)`);
    first.release(); // pg documents client.release(), not only the callback's third argument
    const next = await connect(pool);
    try {
      expect(next.getTransactionStatus()).toBe('I');
      expect((await next.query(`SELECT to_regclass('pg_temp.leaked_transaction_probe') AS t`)).rows[0].t).toBeNull();
    } finally {
      next.release();
    }
  });

  it('a client released while its BEGIN is unanswered goes to the next borrower only after it, rolled back', async () => {
    const pool = contextPool(1);
    await pool.query(`CREATE TABLE IF NOT EXISTS release_race_probe (id int PRIMARY KEY, v text NOT NULL)`);
    await pool.query(`INSERT INTO release_race_probe VALUES (1, 'before') ON CONFLICT (id) DO UPDATE SET v = 'before'`);
    const first = await connect(pool);
    // a request's timeout or abort handler releasing its connection: the BEGIN is sent, its answer not yet read
    const begun = first.query('BEGIN');
    expect(first.getTransactionStatus()).toBe('I');
    first.release();
    await begun;
    const next = await connect(pool);
    try {
      expect(next.getTransactionStatus()).toBe('I');
      await next.query(`UPDATE release_race_probe SET v = 'written by the next borrower' WHERE id = 1`);
    } finally {
      next.release();
    }
    // an autocommit write of the next borrower is committed: seen from a connection of its own
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      expect((await other.query(`SELECT v FROM release_race_probe WHERE id = 1`)).rows[0].v).toBe('written by the next borrower');
    } finally {
      await other.end();
    }
  });

  it('a second release() of a client whose release waits for its statements is refused, as pg-pool refuses one', async () => {
    const pool = contextPool(1);
    const first = await connect(pool);
    const begun = first.query('BEGIN');
    first.release(); // a request's timeout handler…
    expect(() => first.release()).toThrow('Release called on client which has already been released to the pool.'); // …and its finally
    await begun;
    await expectCleanNextBorrower(pool);
  });

  it('a client released with statements queued behind a running one hands them all on before its release', async () => {
    const pool = contextPool(1);
    const first = await connect(pool);
    const answers = [first.query(`SELECT pg_sleep(0.05)`), first.query('BEGIN'), first.query(`SELECT 1 AS one`)];
    first.release();
    await expectCleanNextBorrower(pool);
    expect((await Promise.all(answers))[2].rows).toEqual([{ one: 1 }]);
  });
});

describe('client.query() with a callback in its config', () => {
  it('calls config.callback, with errors mapped, like the callback argument', async () => {
    const pool = contextPool(1, { mapError: (error) => Object.assign(new Error(`mapped: ${(error as Error).message}`), { cause: error }) });
    const client = await pool.connect();
    try {
      const context = createContext({ user: 'carol' });
      const ok = await run(context, () =>
        new Promise<{ returned: unknown; rows: unknown[] }>((resolve, reject) => {
          let returned: unknown = 'not yet';
          const config = { text: currentQuery, callback: (error: Error | null, result: pg.QueryResult) => (error ? reject(error) : resolve({ returned, rows: result.rows })) };
          returned = client.query(config as unknown as pg.QueryConfig);
        }),
      );
      expect(ok).toEqual({ returned: undefined, rows: [{ q: context.comment + currentQuery }] }); // pg returns nothing when it calls back
      const failed = await new Promise<Error>((resolve) => {
        client.query({ text: 'SELECT 1/0', callback: (error: Error) => resolve(error) } as unknown as pg.QueryConfig);
      });
      expect(failed.message).toBe('mapped: division by zero');
    } finally {
      client.release();
    }
  });
});

describe('streams', () => {
  it('a pg-query-stream QueryStream carries the context', async () => {
    const pool = contextPool(1);
    const context = createContext({ user: 'dave' });
    const rows = await run(context, async () => {
      const client = await pool.connect();
      try {
        const out: { q: string }[] = [];
        for await (const row of client.query(new QueryStream(currentQuery))) out.push(row as { q: string });
        return out;
      } finally {
        client.release();
      }
    });
    expect(rows).toEqual([{ q: context.comment + currentQuery }]);
  });

  it('a data-modifying statement streamed through TypeORM\'s queryRunner.stream() is attributed to the context', async () => {
    const product = await dataSource.getRepository(Product).save({ name: 'streamed', price: '1.00', stock: 1 });
    const mark = await lastEventId(db.pool);
    const ids = await run({ user: 'erin', requestId: 'stream-req' }, async () => {
      const runner = dataSource.createQueryRunner();
      try {
        const stream = await runner.stream(`WITH u AS (UPDATE product SET stock = 2 WHERE id = $1 RETURNING id) SELECT id FROM u`, [product.id]);
        const out: number[] = [];
        for await (const row of stream) out.push((row as { id: number }).id);
        return out;
      } finally {
        await runner.release();
      }
    });
    expect(ids).toEqual([product.id]);
    const rows = await historySince(db.pool, mark);
    expect(rows.map((r) => ({ changes: r.changes, metadata: r.metadata }))).toEqual([{ changes: { stock: [1, 2] }, metadata: { user: 'erin', requestId: 'stream-req' } }]);
  });
});

// A connection's socket keeps the async context it was opened in, and pg calls back (callbacks, stream events) from
// the socket's events: opened inside one request, a pooled connection must not lend that request's context (or its
// ignore()) to what another request's callbacks send.
describe('callbacks and stream events on a connection another request opened', () => {
  const contextOfCallback = (pool: pg.Pool) => new Promise<unknown>((resolve, reject) => {
    pool.query('SELECT 1', (error) => (error ? reject(error) : resolve(currentContext()?.metadata)));
  });

  it('run in the context of the request that sent the statement', async () => {
    const pool = contextPool(1);
    await run({ user: 'opener' }, () => pool.query('SELECT 1')); // opens the pool's only connection
    expect(await run({ user: 'bob' }, () => contextOfCallback(pool))).toEqual({ user: 'bob' });
    expect(await contextOfCallback(pool)).toBeUndefined(); // outside any request: no context, not the opener's
    const eventContexts = await run({ user: 'carol' }, async () => {
      const client = await pool.connect();
      try {
        const seen: unknown[] = [];
        const stream = client.query(new QueryStream('SELECT g FROM generate_series(1, 3) g'));
        await new Promise<void>((resolve, reject) => {
          stream.on('data', () => seen.push(currentContext()?.metadata.user));
          stream.on('end', () => { seen.push(`end ${String(currentContext()?.metadata.user)}`); resolve(); });
          stream.on('error', reject);
        });
        return seen;
      } finally {
        client.release();
      }
    });
    expect(eventContexts).toEqual(['carol', 'carol', 'carol', 'end carol']);
  });

  it('a cursor\'s read() and close() callbacks run in the context of the request that called them', async () => {
    const pool = contextPool(1);
    const client = await run({ user: 'opener' }, () => pool.connect());
    try {
      // sent by one request (or by none), read by another: a callback belongs to whoever gave it
      for (const sender of [{ user: 'sender' }, undefined]) {
        const send = () => client.query(new Cursor('SELECT g FROM generate_series(1, 4) g'));
        const cursor = sender ? run(sender, send) : send();
        const seen = await run({ user: 'reader' }, () => new Promise<unknown[]>((resolve, reject) => {
          cursor.read(2, (error) => {
            if (error) return reject(error);
            const first = currentContext()?.metadata.user;
            cursor.close(() => resolve([first, currentContext()?.metadata.user]));
          });
        }));
        expect(seen, `sent ${sender ? 'in a request' : 'outside any'}`).toEqual(['reader', 'reader']);
      }
    } finally {
      client.release();
    }
  });

  it('a write from a stream\'s end callback is attributed to its own request', async () => {
    const product = await dataSource.getRepository(Product).save({ name: 'called back', price: '1.00', stock: 1 });
    const mark = await lastEventId(db.pool);
    // the DataSource's pool already holds connections opened by earlier requests (or outside any)
    await run({ user: 'frank', requestId: 'on-end' }, async () => {
      const runner = dataSource.createQueryRunner();
      try {
        await new Promise<void>((resolve, reject) => {
          void runner.stream('SELECT 1', [], () => {
            dataSource.getRepository(Product).update(product.id, { stock: 5 }).then(() => resolve(), reject);
          }, reject).then((stream) => stream.resume(), reject);
        });
      } finally {
        await runner.release();
      }
    });
    const rows = await historySince(db.pool, mark);
    expect(rows.map((r) => ({ changes: r.changes, metadata: r.metadata }))).toEqual([{ changes: { stock: [1, 5] }, metadata: { user: 'frank', requestId: 'on-end' } }]);
  });

  it('maps a streamed statement\'s error as it maps the others', async () => {
    const mapped = new Error('mapped');
    const pool = contextPool(1, { mapError: () => mapped });
    const client = await pool.connect();
    try {
      const stream = client.query(new QueryStream('SELECT 1/0'));
      await expect(new Promise((resolve, reject) => { stream.on('error', reject); stream.on('end', resolve); stream.resume(); })).rejects.toBe(mapped);
    } finally {
      client.release();
    }
  });
});

describe('a live context whose metadata can no longer travel', () => {
  it('still lets the transaction roll back, and the connection goes back to the pool', async () => {
    const pool = contextPool(1);
    const request = { user: 'gina' };
    const context = createLiveContext(() => ({ user: request.user }));
    await run(context, async () => {
      const client = await pool.connect();
      await client.query('BEGIN');
      await client.query(`UPDATE product SET stock = stock WHERE false`);
      request.user = 'x'.repeat(9000); // a later middleware sets a user too large to send
      await expect(client.query('SELECT 1')).rejects.toThrow(/limit is 8192 bytes/);
      await client.query('ROLLBACK');
      request.user = 'gina';
      await client.query('BEGIN');
      request.user = 'x'.repeat(9000);
      client.release(); // released in its transaction: the driver's own ROLLBACK must go through too
    });
    // only a statement that is nothing but the end of a transaction goes without context: the DELETE is refused
    await run(context, async () => {
      const client = await pool.connect();
      try {
        await expect(client.query(`COMMIT; DELETE FROM product WHERE false`)).rejects.toThrow(/limit is 8192 bytes/);
        const stream = client.query(new QueryStream('SELECT 1'));
        await expect(new Promise((resolve, reject) => { stream.on('error', reject); stream.on('end', resolve); stream.resume(); })).rejects.toThrow(/limit is 8192 bytes/);
      } finally {
        client.release();
      }
    });
    const { rows } = await pool.query<{ status: string }>(`SELECT 'free' AS status`); // the only connection is back
    expect(rows).toEqual([{ status: 'free' }]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`)).rows[0].n).toBe(0);
  });
});

describe('the pool config\'s Client (pg.Pool\'s option, TypeORM\'s extra.Client)', () => {
  /** An application's instrumented client: records the text of every statement its query() is given. */
  function instrumentedClient() {
    const texts: string[] = [];
    class InstrumentedClient extends pg.Client {
      override query(config: any, values?: any, callback?: any): any {
        texts.push(typeof config === 'string' ? config : config?.text ?? config?.cursor?.text);
        return (super.query as any)(config, values, callback);
      }
    }
    return { InstrumentedClient, texts };
  }

  it('is the class of the pool\'s clients, sees every statement, and the context comment still reaches the database', async () => {
    const { InstrumentedClient, texts } = instrumentedClient();
    const pool = contextPool(1, {}, { Client: InstrumentedClient as unknown as typeof pg.Client });
    const context = createContext({ user: 'hank' });
    const { q, isInstrumented } = await run(context, async () => {
      const client = await pool.connect();
      try {
        return { isInstrumented: client instanceof InstrumentedClient, q: (await client.query<{ q: string }>(currentQuery)).rows[0].q };
      } finally {
        client.release();
      }
    });
    expect(isInstrumented).toBe(true);
    expect(q).toBe(context.comment + currentQuery);
    // callback-style pool.query() (waits on connect()), and a statement outside any context
    const fromCallback = await run(createContext({ user: 'ida' }), () =>
      new Promise<{ user: unknown; q: string }>((resolve, reject) => {
        pool.query<{ q: string }>(currentQuery, (error, result) => (error ? reject(error) : resolve({ user: currentContext()?.metadata.user, q: result.rows[0].q })));
      }),
    );
    expect(fromCallback.user).toBe('ida');
    expect(fromCallback.q).toMatch(/^\/\*rowtrail:.*"user":"ida".*\*\/SELECT current_query/);
    expect((await pool.query<{ q: string }>(currentQuery)).rows[0].q).toBe(currentQuery);
    // the instrumented client's query() was given every statement, with its context comment
    expect(texts).toEqual([context.comment + currentQuery, fromCallback.q, currentQuery]);
  });

  it('still maps errors, and a tracked write through it is attributed to its context', async () => {
    const { InstrumentedClient, texts } = instrumentedClient();
    const pool = contextPool(1, { mapError: (error) => new Error(`mapped: ${(error as Error).message}`) }, { Client: InstrumentedClient as unknown as typeof pg.Client });
    const product = await dataSource.getRepository(Product).save({ name: 'instrumented', price: '1.00', stock: 1 });
    const mark = await lastEventId(db.pool);
    await run({ user: 'jules', requestId: 'instrumented' }, () => pool.query(`UPDATE product SET stock = 3 WHERE id = $1`, [product.id]));
    await expect(pool.query('SELECT 1/0')).rejects.toThrow('mapped: division by zero');
    const rows = await historySince(db.pool, mark);
    expect(rows.map((r) => ({ changes: r.changes, metadata: r.metadata }))).toEqual([{ changes: { stock: [1, 3] }, metadata: { user: 'jules', requestId: 'instrumented' } }]);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/^\/\*rowtrail:.*\*\/UPDATE product/);
  });

  it('is wrapped once per class: pools given the same Client share one Rowtrail subclass of it', async () => {
    const { InstrumentedClient } = instrumentedClient();
    const driver = createContextDriver(pg);
    const classOf = async (pool: pg.Pool) => {
      pools.push(pool);
      const client = await pool.connect();
      client.release();
      return client.constructor;
    };
    const config = { connectionString: db.url, max: 1, Client: InstrumentedClient as unknown as typeof pg.Client };
    const first = await classOf(new driver.Pool(config));
    expect(first).not.toBe(InstrumentedClient);
    expect(first.prototype).toBeInstanceOf(InstrumentedClient);
    expect(await classOf(new driver.Pool(config))).toBe(first);
    expect(await classOf(new driver.Pool({ connectionString: db.url, max: 1 }))).toBe(driver.Client); // none given: the driver's own
  });

  it('a Client that already carries Rowtrail\'s context (a context driver\'s Client, or a subclass of one) sends one comment', async () => {
    const other = createContextDriver(pg);
    class OwnSubclass extends other.Client {}
    for (const [label, Client] of [['its own driver\'s', null], ['another driver\'s', other.Client], ['a subclass of one', OwnSubclass]] as const) {
      const driver = createContextDriver(pg);
      const pool = new driver.Pool({ connectionString: db.url, max: 1, Client: (Client ?? driver.Client) as typeof pg.Client });
      pools.push(pool);
      const context = createContext({ user: 'kim' });
      const { rows } = await run(context, () => pool.query<{ q: string }>(currentQuery));
      expect(rows[0].q, label).toBe(context.comment + currentQuery);
    }
  });

  it('refuses a Client that is not a class, naming the option and what it got', () => {
    const driver = createContextDriver(pg);
    for (const [Client, got] of [
      ['pg', 'a string ("pg")'],
      [{ query() {} }, 'an object (Object)'],
      [() => undefined, 'a function with no prototype'],
    ] as const) {
      expect(() => new driver.Pool({ connectionString: db.url, Client: Client as unknown as typeof pg.Client })).toThrow(
        `Rowtrail: the pg Pool's Client option (TypeORM: extra.Client) must be a pg Client class, got ${got}`,
      );
    }
  });
});
