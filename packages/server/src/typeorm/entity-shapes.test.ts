// Capture of entity shapes beyond plain columns, end to end against real PostgreSQL: relation join columns,
// single-table inheritance, embedded objects, and a property whose name is another column's name.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryFailedError, type DataSource } from 'typeorm';
import { protectionErrorOf } from '../protections/protection-error.js';
import { ShapeAccount, ShapeContent, ShapeCustomer, ShapeNote, ShapeOrder, ShapePhoto, ShapeWarehouse, SHAPE_ENTITIES } from './entity-shape-test-entities.js';
import { openTrackedDatabase, type TrackedTestDatabase } from './tracked-test-database.js';
import { historySince, lastEventId } from './test-history.js';

let opened: TrackedTestDatabase;
let dataSource: DataSource;
beforeAll(async () => {
  opened = await openTrackedDatabase('entity_shapes', SHAPE_ENTITIES);
  dataSource = opened.dataSource;
});
afterAll(() => opened?.close());

async function historyColumns(table: string): Promise<string[]> {
  const { rows } = await opened.db.pool.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'rowtrail' AND table_name = $1 AND column_name NOT LIKE 'rowtrail\\_%' ORDER BY column_name`,
    [table],
  );
  return rows.map((r) => r.column_name);
}

describe('relations', () => {
  it('records a change of a relation (its join column) and ignores a relation named in ignoreChanges', async () => {
    const [alice, bob] = await dataSource.getRepository(ShapeCustomer).save([{ name: 'Alice' }, { name: 'Bob' }]);
    await dataSource.getRepository(ShapeWarehouse).insert({ region: 1, code: 7 });
    const orders = dataSource.getRepository(ShapeOrder);
    const order = await orders.save(orders.create({ note: 'first', customer: alice, home: {}, work: {} }));
    const mark = await lastEventId(opened.db.pool);

    await opened.db.pool.query(`UPDATE shape_order SET "customerId" = $1 WHERE id = $2`, [bob.id, order.id]);
    await orders.update({ id: order.id }, { lastEditor: { id: alice.id } });            // ignored alone
    await orders.update({ id: order.id }, { warehouse: { region: 1, code: 7 } });      // ignored alone (two columns)
    await orders.update({ id: order.id }, { note: 'second', lastEditor: { id: bob.id } });

    const rows = (await historySince(opened.db.pool, mark)).filter((r) => r.table_name === 'public.shape_order');
    expect(rows.map((r) => r.changes)).toEqual([
      { customerId: [alice.id, bob.id] },
      { note: ['first', 'second'], lastEditorId: [alice.id, bob.id] },
    ]);
  });

  it('applies a protection named by relation to its join column', async () => {
    const [carol, dave] = await dataSource.getRepository(ShapeCustomer).save([{ name: 'Carol' }, { name: 'Dave' }]);
    const orders = dataSource.getRepository(ShapeOrder);
    const order = await orders.save(orders.create({ note: 'bought', buyer: carol, home: {}, work: {} }));
    const error = await orders.update({ id: order.id }, { buyer: { id: dave.id } }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(protectionErrorOf(error)).toMatchObject({ protection: 'buyer_fixed', fields: ['buyer_id'] });
  });
});

describe('single-table inheritance', () => {
  it('captures every child entity\'s columns and the discriminator in one history table', async () => {
    expect(await historyColumns('shape_content_history')).toEqual(['body', 'id', 'kind', 'title', 'url']);
    const mark = await lastEventId(opened.db.pool);
    await dataSource.getRepository(ShapePhoto).save({ title: 'Sunset', url: 'U' });
    await dataSource.getRepository(ShapeNote).save({ title: 'Memo', body: 'B' });
    const rows = await historySince(opened.db.pool, mark);
    expect(rows.map((r) => r.changes)).toEqual([
      expect.objectContaining({ title: 'Sunset', url: 'U', body: null, kind: 'photo' }),
      expect.objectContaining({ title: 'Memo', url: null, body: 'B', kind: 'note' }),
    ]);
    const { rows: versions } = await opened.db.pool.query(`SELECT kind, url, body FROM rowtrail.shape_content_history ORDER BY rowtrail_event_id`);
    expect(versions).toEqual([{ kind: 'photo', url: 'U', body: null }, { kind: 'note', url: null, body: 'B' }]);
    expect(await dataSource.getRepository(ShapeContent).count()).toBe(2);
  });
});

describe('excluded columns', () => {
  it('never records a secret of any embedded object named by its path', async () => {
    expect(await historyColumns('shape_order_history')).not.toEqual(expect.arrayContaining(['homeSecret']));
    expect(await historyColumns('shape_order_history')).not.toEqual(expect.arrayContaining(['workSecret']));
    const mark = await lastEventId(opened.db.pool);
    const orders = dataSource.getRepository(ShapeOrder);
    const order = await orders.save(orders.create({ note: 'n', home: { street: 'H', secret: 'home-secret' }, work: { street: 'W', secret: 'work-secret' } }));
    await orders.update({ id: order.id }, { work: { secret: 'work-secret-2' } });   // a change of excluded columns only: no event
    const rows = await historySince(opened.db.pool, mark);
    expect(rows).toHaveLength(1);
    expect(rows[0].changes).toMatchObject({ homeStreet: 'H', workStreet: 'W' });
    expect(JSON.stringify(rows[0].changes)).not.toMatch(/secret/i);
  });

  it('excludes the column of the property named, not another column that has the name', async () => {
    expect(await historyColumns('shape_account_history')).toEqual(['id', 'password']);
    const mark = await lastEventId(opened.db.pool);
    await dataSource.getRepository(ShapeAccount).save({ legacyPasswordHint: 'hint', password: 'argon2-hash' });
    const rows = await historySince(opened.db.pool, mark);
    expect(rows.map((r) => r.changes)).toEqual([{ id: expect.any(Number), password: 'hint' }]);
    const { rows: stored } = await opened.db.pool.query(`SELECT to_jsonb(h)::text AS row FROM rowtrail.shape_account_history h`);
    expect(stored.map((r) => r.row).join()).not.toContain('argon2-hash');
  });
});
