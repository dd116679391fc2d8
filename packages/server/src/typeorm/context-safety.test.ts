import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { DataSource, Repository } from 'typeorm';
import { MAX_CONTEXT_BYTES, RowtrailContextError } from '../context/context-comment.js';
import { run } from '../context/request-context.js';
import type { TestDatabase } from '../testing/test-database.js';
import { openTrackedDatabase, type TrackedTestDatabase } from './tracked-test-database.js';
import { LineItem, Product, UntrackedNote } from './test-entities.js';
import { historySince, lastEventId } from './test-history.js';

let db: TestDatabase;
let dataSource: DataSource;
let products: Repository<Product>;

let opened: TrackedTestDatabase;
beforeAll(async () => {
  opened = await openTrackedDatabase('context_safety', [Product, LineItem, UntrackedNote]);
  ({ db, dataSource } = opened);
  products = dataSource.getRepository(Product);
});
afterAll(() => opened?.close());

describe('context safety through a pool', () => {
  it('200 concurrent requests through 5 connections: no wrong context, no leak into context-less writes', async () => {
    const mark = await lastEventId(db.pool);
    const requests = Array.from({ length: 200 }, (_, i) => ({ i, name: `req-${i}`, withContext: i % 4 !== 0 }));
    await Promise.all(
      requests.map(async ({ i, name, withContext }) => {
        const work = async () => {
          const saved = await products.save(products.create({ name, price: '1.00', stock: i }));
          await new Promise((r) => setTimeout(r, i % 7)); // interleave requests on the pooled connections
          await products.update({ id: saved.id }, { stock: i + 1000 });
          await dataSource.transaction(async (m) => {
            await m.query(`UPDATE product SET price = price + 1 WHERE id = $1`, [saved.id]);
          });
        };
        return withContext ? run({ user: `user-${i}`, requestId: name }, work) : work();
      }),
    );
    const rows = await historySince(db.pool, mark);
    expect(rows).toHaveLength(600);
    const snapshotNames = await db.pool.query<{ id: number; name: string }>(`SELECT id, name FROM product`);
    const nameById = new Map(snapshotNames.rows.map((r) => [r.id, r.name]));
    let wrong = 0;
    let leaked = 0;
    for (const row of rows) {
      const name = nameById.get(row.record_key.id as number)!;
      const expectContext = requests.find((r) => r.name === name)!.withContext;
      if (expectContext && row.metadata?.requestId !== name) wrong++;
      if (!expectContext && (row.metadata === null || Object.keys(row.metadata).length > 0)) leaked++;
    }
    expect({ wrong, leaked }).toEqual({ wrong: 0, leaked: 0 });
  });

  it('a QueryRunner released with its transaction open is rolled back before its connection is reused', async () => {
    const p = await products.save(products.create({ name: 'leaky', price: '1.00', stock: 1 }));
    const mark = await lastEventId(db.pool);
    await run({ requestId: 'leaker' }, async () => {
      const qr = dataSource.createQueryRunner();
      await qr.startTransaction();
      await qr.manager.update(Product, { id: p.id }, { stock: 2 });
      await qr.release(); // no commit, no rollback
    });
    // every pooled connection is now used by other requests; none may be inside the leaked transaction
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        run({ requestId: `after-${i}` }, async () => {
          const [{ status }] = await dataSource.query(`SELECT CASE WHEN txid_current_if_assigned() IS NULL THEN 'clean' ELSE 'in-transaction' END AS status`);
          expect(status).toBe('clean');
        }),
      ),
    );
    expect((await db.pool.query(`SELECT stock FROM product WHERE id = $1`, [p.id])).rows[0].stock).toBe(1);
    expect(await historySince(db.pool, mark)).toEqual([]);
  });

  it('a failing statement leaves its connection clean for the next request', async () => {
    const mark = await lastEventId(db.pool);
    await run({ requestId: 'fails' }, async () => {
      await expect(dataSource.query(`UPDATE product SET stock = 1/0`)).rejects.toThrow(/division by zero/);
      await expect(dataSource.transaction((m) => m.query(`UPDATE product SET price = price / 0`))).rejects.toThrow(/division by zero/);
    });
    const p = await run({ requestId: 'next' }, () => products.save(products.create({ name: 'after failure', price: '2.00', stock: 1 })));
    const rows = await historySince(db.pool, mark);
    expect(rows.map((r) => [r.operation, r.record_key.id, r.metadata?.requestId])).toEqual([['INSERT', p.id, 'next']]);
  });

  it('writes without application context are attributed to the database user and application_name', async () => {
    const mark = await lastEventId(db.pool);
    const client = new pg.Client({ connectionString: db.url, application_name: 'psql-maintenance' });
    await client.connect();
    try {
      await client.query(`INSERT INTO product (name, price, stock) VALUES ('manual', 3, 1), ('manual2', 4, 1)`);
      await client.query(`UPDATE product SET stock = 2 WHERE name = 'manual'`);
      const { rows: [me] } = await client.query(`SELECT session_user AS u`);
      const rows = await historySince(db.pool, mark);
      expect(rows.map((r) => r.operation)).toEqual(['INSERT', 'INSERT', 'UPDATE']);
      for (const row of rows) expect(row).toMatchObject({ metadata: {}, db_user: me.u, application_name: 'psql-maintenance' });
      // one context per transaction
      expect(new Set(rows.slice(0, 2).map((r) => r.txid)).size).toBe(1);
    } finally {
      await client.end();
    }
  });

  it('stores any JSON context verbatim and refuses an oversized one before any write', async () => {
    const tricky = { user: 'Zoë "the admin" \\ O\'Brien', note: 'ends a comment */ and opens one /* and -- dashes', lines: 'a\nb\r\tc', emoji: '🦄 日本語', nested: { list: [1, null, { deep: '*/' }] } };
    const mark = await lastEventId(db.pool);
    const p = await run(tricky, () => products.save(products.create({ name: 'tricky', price: '1.00', stock: 1 })));
    const rows = await historySince(db.pool, mark);
    expect(rows).toHaveLength(1);
    expect(rows[0].metadata).toEqual(tricky);

    const huge = { user: 'x', blob: 'y'.repeat(MAX_CONTEXT_BYTES) };
    let reached = false;
    expect(() => run(huge, () => { reached = true; })).toThrow(RowtrailContextError);
    expect(() => run(huge, () => undefined)).toThrow(/limit is 8192 bytes/);
    expect(() => run({ bad: 'nul\u0000char' }, () => undefined)).toThrow(/NUL/);
    // a string cut inside an emoji: jsonb refuses a lone surrogate, so the write would fail after reaching the database
    expect(() => run({ note: 'Café 😀'.slice(0, 6) }, () => undefined)).toThrow(/half of a UTF-16 surrogate pair/);
    expect(() => run({ ['\uDE00key']: 1 }, () => undefined)).toThrow(RowtrailContextError);
    expect(reached).toBe(false);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM product WHERE id = $1`, [p.id])).rows[0].n).toBe(1);
    expect(await historySince(db.pool, rows[0].event_id)).toEqual([]);
  });

  it('a second transaction of the same request never waits for the first one\'s context row', async () => {
    const a = await products.save(products.create({ name: 'parallel-a', price: '1.00', stock: 1 }));
    const b = await products.save(products.create({ name: 'parallel-b', price: '1.00', stock: 1 }));
    const mark = await lastEventId(db.pool);
    const timeout = (ms: number) => new Promise((_, reject) => setTimeout(() => reject(new Error(`blocked for ${ms} ms`)), ms));
    await run({ requestId: 'parallel' }, () =>
      dataSource.transaction(async (m) => {
        await m.update(Product, { id: a.id }, { stock: 2 }); // this transaction stores the context row, uncommitted
        // an autocommit write of the same request, awaited inside the open transaction
        await Promise.race([products.update({ id: b.id }, { stock: 3 }), timeout(5000)]);
        // and a concurrent transaction of the same request
        await Promise.race([dataSource.transaction((m2) => m2.update(Product, { id: b.id }, { stock: 4 })), timeout(5000)]);
      }),
    );
    const rows = await historySince(db.pool, mark);
    expect(rows.map((r) => [r.record_key.id, r.metadata?.requestId])).toEqual([[a.id, 'parallel'], [b.id, 'parallel'], [b.id, 'parallel']]);
    // each event is listed once even if several transactions stored the context
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(3);
  });
});
