import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource, Repository } from 'typeorm';
import { run } from '../context/request-context.js';
import type { TestDatabase } from '../testing/test-database.js';
import { openTrackedDatabase, type TrackedTestDatabase } from './tracked-test-database.js';
import { LineItem, Product, UntrackedNote } from './test-entities.js';
import { historySince, lastEventId, snapshotMismatches, type HistoryRow } from './test-history.js';

let db: TestDatabase;
let dataSource: DataSource;
let products: Repository<Product>;
let mark: string;

let opened: TrackedTestDatabase;
beforeAll(async () => {
  opened = await openTrackedDatabase('write_paths', [Product, LineItem, UntrackedNote]);
  ({ db, dataSource } = opened);
  products = dataSource.getRepository(Product);
});
afterAll(() => opened?.close());
let testStart: string;
beforeEach(async () => {
  mark = await lastEventId(db.pool);
  testStart = mark;
});
// every event of every write path has its one snapshot row, holding the version the diff describes
afterEach(async () => {
  expect(await snapshotMismatches(db.pool, testStart)).toEqual([]);
});

const ctx = (requestId: string) => ({ user: 'alice', requestId, method: 'POST', url: `/test/${requestId}` });
const newEvents = () => historySince(db.pool, mark);
const summary = (rows: HistoryRow[]) => rows.map((r) => ({ table: r.table_name, op: r.operation, key: r.record_key, requestId: r.metadata?.requestId }));

async function seedProduct(name: string, price = '10.00'): Promise<Product> {
  const saved = await products.save(products.create({ name, price, stock: 5, secretNote: 'hunter2' }));
  mark = await lastEventId(db.pool);
  return saved;
}

describe('every TypeORM write path reaches the triggers with its context', () => {
  it('repository.save() of a new entity records an INSERT with the full row, secret excluded', async () => {
    const saved = await run(ctx('save-insert'), () => products.save(products.create({ name: 'Lamp', price: '12.50', stock: 3, secretNote: 'hunter2' })));
    const rows = await newEvents();
    expect(summary(rows)).toEqual([{ table: 'public.product', op: 'INSERT', key: { id: saved.id }, requestId: 'save-insert' }]);
    expect(rows[0].changes).toEqual({ id: saved.id, name: 'Lamp', price: 12.5, stock: 3, attributes: null, updated_at: null, deleted_at: null });
    expect(rows[0].metadata).toEqual(ctx('save-insert'));
  });

  it('repository.save() of a changed entity records only the changed fields', async () => {
    const product = await seedProduct('Desk');
    product.price = '99.90';
    await run(ctx('save-update'), () => products.save(product));
    const rows = await newEvents();
    expect(summary(rows)).toEqual([{ table: 'public.product', op: 'UPDATE', key: { id: product.id }, requestId: 'save-update' }]);
    expect(rows[0].changes).toEqual({ price: [10, 99.9] });
  });

  it('repository.remove(), softRemove() and recover()', async () => {
    const a = await seedProduct('Chair');
    const b = await seedProduct('Stool');
    const aId = a.id; // remove() clears the entity's id
    await run(ctx('soft-remove'), () => products.softRemove(b));
    await run(ctx('recover'), () => products.recover(b));
    await run(ctx('remove'), () => products.remove(a));
    const rows = await newEvents();
    expect(summary(rows)).toEqual([
      { table: 'public.product', op: 'UPDATE', key: { id: b.id }, requestId: 'soft-remove' },
      { table: 'public.product', op: 'UPDATE', key: { id: b.id }, requestId: 'recover' },
      { table: 'public.product', op: 'DELETE', key: { id: aId }, requestId: 'remove' },
    ]);
    expect((rows[0].changes.deleted_at as unknown[])[0]).toBeNull();
    expect((rows[1].changes.deleted_at as unknown[])[1]).toBeNull();
    expect(rows[2].changes).toMatchObject({ id: aId, name: 'Chair', price: 10 });
    expect(rows[2].changes).not.toHaveProperty('secret_note');
  });

  it('insert(), update(), delete(), increment(), softDelete() and restore()', async () => {
    const inserted = await run(ctx('insert'), () => products.insert({ name: 'Pen', price: '1.00', stock: 10 }));
    const id = inserted.identifiers[0].id as number;
    await run(ctx('update'), () => products.update({ id }, { name: 'Blue pen' }));
    await run(ctx('increment'), () => products.increment({ id }, 'stock', 5));
    await run(ctx('soft-delete'), () => products.softDelete({ id }));
    await run(ctx('restore'), () => products.restore({ id }));
    await run(ctx('delete'), () => products.delete({ id }));
    const rows = await newEvents();
    expect(summary(rows).map((r) => `${r.op}:${r.requestId}`)).toEqual([
      'INSERT:insert', 'UPDATE:update', 'UPDATE:increment', 'UPDATE:soft-delete', 'UPDATE:restore', 'DELETE:delete',
    ]);
    expect(rows[1].changes).toEqual({ name: ['Pen', 'Blue pen'] });
    expect(rows[2].changes).toEqual({ stock: [10, 15] });
  });

  it('upsert() records an INSERT for a new key and an UPDATE for an existing one', async () => {
    const lines = dataSource.getRepository(LineItem);
    await lines.insert({ orderId: 70, lineNo: 1, quantity: 1 });
    mark = await lastEventId(db.pool);
    await run(ctx('upsert'), () =>
      lines.upsert([{ orderId: 70, lineNo: 1, quantity: 4 }, { orderId: 70, lineNo: 2, quantity: 9 }], ['orderId', 'lineNo']),
    );
    const rows = await newEvents();
    // PostgreSQL fires the statement's UPDATE triggers before its INSERT triggers
    expect(summary(rows)).toEqual([
      { table: 'public.line_item', op: 'UPDATE', key: { order_id: 70, line_no: 1 }, requestId: 'upsert' },
      { table: 'public.line_item', op: 'INSERT', key: { order_id: 70, line_no: 2 }, requestId: 'upsert' },
    ]);
    expect(rows.map((r) => r.changes)).toEqual([{ quantity: [1, 4] }, { order_id: 70, line_no: 2, quantity: 9 }]);
  });

  it('clear() (TRUNCATE) records a DELETE of every row it removes, with the row and its context', async () => {
    const lines = dataSource.getRepository(LineItem);
    await lines.insert([{ orderId: 80, lineNo: 1, quantity: 2 }, { orderId: 80, lineNo: 2, quantity: 5 }]);
    mark = await lastEventId(db.pool);
    const before = (await db.pool.query('SELECT order_id, line_no, quantity FROM line_item ORDER BY 1, 2')).rows;
    await run(ctx('clear'), () => lines.clear());
    const rows = await newEvents();
    expect(await lines.count()).toBe(0);
    expect(rows.map((r) => [r.operation, r.metadata?.requestId])).toEqual(before.map(() => ['DELETE', 'clear']));
    const removed = rows.map((r) => r.changes).sort((a, b) => Number(a.order_id) - Number(b.order_id) || Number(a.line_no) - Number(b.line_no));
    expect(removed).toEqual(before);
    expect(removed).toContainEqual({ order_id: 80, line_no: 2, quantity: 5 });
  });

  it('QueryBuilder execute() with and without a transaction', async () => {
    const p = await seedProduct('Book', '20.00');
    await run(ctx('qb'), () => products.createQueryBuilder().update().set({ price: '21.00' }).where('id = :id', { id: p.id }).execute());
    await run(ctx('qb-tx'), () =>
      dataSource.transaction((manager) => manager.createQueryBuilder().update(Product).set({ price: '22.00' }).where('id = :id', { id: p.id }).execute()),
    );
    const rows = await newEvents();
    expect(summary(rows).map((r) => r.requestId)).toEqual(['qb', 'qb-tx']);
    expect(rows.map((r) => r.changes)).toEqual([{ price: [20, 21] }, { price: [21, 22] }]);
  });

  it('raw SQL through dataSource.query() and manager.query()', async () => {
    const p = await seedProduct('Map', '7.00');
    await run(ctx('ds-query'), () => dataSource.query(`UPDATE product SET stock = stock + 1 WHERE id = $1`, [p.id]));
    await run(ctx('manager-query'), () => dataSource.manager.query(`UPDATE product SET stock = stock + 1 WHERE id = ${p.id}`));
    const rows = await newEvents();
    expect(summary(rows).map((r) => r.requestId)).toEqual(['ds-query', 'manager-query']);
    expect(rows.map((r) => r.changes)).toEqual([{ stock: [5, 6] }, { stock: [6, 7] }]);
  });

  it('manager.transaction(), QueryRunner transactions, savepoints and SERIALIZABLE', async () => {
    const p = await seedProduct('Globe', '30.00');
    await run(ctx('manager-tx'), () =>
      dataSource.manager.transaction(async (m) => {
        await m.update(Product, { id: p.id }, { stock: 6 });
        await m.insert(LineItem, { orderId: 1, lineNo: 1, quantity: 2 });
      }),
    );
    await run(ctx('query-runner'), async () => {
      const qr = dataSource.createQueryRunner();
      await qr.connect();
      await qr.startTransaction();
      await qr.manager.update(Product, { id: p.id }, { stock: 7 });
      // nested transaction: a savepoint that is rolled back leaves no events
      await qr.manager
        .transaction(async (inner) => {
          await inner.update(Product, { id: p.id }, { stock: 999 });
          throw new Error('roll back the savepoint');
        })
        .catch(() => undefined);
      await qr.manager.transaction((inner) => inner.update(LineItem, { orderId: 1, lineNo: 1 }, { quantity: 3 }));
      await qr.commitTransaction();
      await qr.release();
    });
    await run(ctx('serializable'), () => dataSource.transaction('SERIALIZABLE', (m) => m.update(Product, { id: p.id }, { stock: 8 })));
    await run(ctx('repeatable-read'), () => dataSource.transaction('REPEATABLE READ', (m) => m.update(Product, { id: p.id }, { stock: 9 })));
    const rows = await newEvents();
    expect(summary(rows)).toEqual([
      { table: 'public.product', op: 'UPDATE', key: { id: p.id }, requestId: 'manager-tx' },
      { table: 'public.line_item', op: 'INSERT', key: { order_id: 1, line_no: 1 }, requestId: 'manager-tx' },
      { table: 'public.product', op: 'UPDATE', key: { id: p.id }, requestId: 'query-runner' },
      { table: 'public.line_item', op: 'UPDATE', key: { order_id: 1, line_no: 1 }, requestId: 'query-runner' },
      { table: 'public.product', op: 'UPDATE', key: { id: p.id }, requestId: 'serializable' },
      { table: 'public.product', op: 'UPDATE', key: { id: p.id }, requestId: 'repeatable-read' },
    ]);
    expect(rows.map((r) => r.changes)).toEqual([
      { stock: [5, 6] }, { order_id: 1, line_no: 1, quantity: 2 }, { stock: [6, 7] }, { quantity: [2, 3] }, { stock: [7, 8] }, { stock: [8, 9] },
    ]);
    // one transaction id per transaction
    expect(rows[0].txid).toBe(rows[1].txid);
    expect(rows[2].txid).toBe(rows[3].txid);
    expect(rows[2].txid).not.toBe(rows[0].txid);
  });

  it('a rolled-back transaction leaves no events', async () => {
    const p = await seedProduct('Kite');
    await run(ctx('rolled-back'), () =>
      dataSource
        .transaction(async (m) => {
          await m.update(Product, { id: p.id }, { stock: 1 });
          throw new Error('abort');
        })
        .catch(() => undefined),
    );
    expect(await newEvents()).toEqual([]);
  });

  it('untracked entities and writes that change only ignored or excluded columns make no event', async () => {
    const p = await seedProduct('Vase');
    await run(ctx('untracked'), () => dataSource.getRepository(UntrackedNote).save({ body: 'x' }));
    const touchedAt = new Date('2026-01-01T00:00:00Z');
    await run(ctx('ignored-only'), () => products.update({ id: p.id }, { updatedAt: touchedAt }));
    await run(ctx('excluded-only'), () => products.update({ id: p.id }, { secretNote: 'new secret' }));
    await run(ctx('no-op'), () => products.update({ id: p.id }, { name: 'Vase' }));
    expect(await newEvents()).toEqual([]);
    // an ignored column that changes alongside a tracked one is part of the diff
    const at = new Date('2026-01-02T03:04:05Z');
    await run(ctx('with-ignored'), () => products.update({ id: p.id }, { name: 'Tall vase', updatedAt: at }));
    const rows = await newEvents();
    expect(rows).toHaveLength(1);
    expect(rows[0].changes).toEqual({ name: ['Vase', 'Tall vase'], updated_at: ['2026-01-01T00:00:00+00:00', '2026-01-02T03:04:05+00:00'] });
  });
});
