import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { run } from '../context/request-context.js';
import type { TestDatabase } from '../testing/test-database.js';
import { LineItem, Product, UntrackedNote } from './test-entities.js';
import { historySince, lastEventId } from './test-history.js';
import { openTrackedDatabase, type TrackedTestDatabase } from './tracked-test-database.js';
import { withRowtrail } from './with-rowtrail.js';

let opened: TrackedTestDatabase;
let db: TestDatabase;
beforeAll(async () => {
  opened = await openTrackedDatabase('with_rowtrail', [Product, LineItem, UntrackedNote], 2);
  ({ db } = opened);
});
afterAll(() => opened?.close());

/** Initialises a DataSource, runs fn with it, destroys it. */
async function withDataSource<T>(options: DataSourceOptions, fn: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  try {
    return await fn(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

describe('withRowtrail()', () => {
  it('keeps carrying context when TypeORM switches to pg.native (it does whenever pg-native is installed)', async () => {
    // pg-native is not installed here: a second JS pg module stands in for pg.native, which TypeORM
    // uses instead of the driver it was given once `nativeDriver` (or a loadable pg-native) is present.
    const standInNative = Object.create(pg) as typeof pg;
    const base = Object.create(pg, { native: { value: standInNative } }) as typeof pg;
    const options = withRowtrail({ type: 'postgres', url: db.url, entities: [Product, LineItem, UntrackedNote], driver: base, nativeDriver: {}, poolSize: 1 });
    const mark = await lastEventId(db.pool);
    await withDataSource(options, async (dataSource) => {
      expect((dataSource.driver as unknown as { postgres: unknown }).postgres).not.toBe(options.driver); // TypeORM took .native
      await run({ requestId: 'on-native' }, async () => {
        const [{ q }] = await dataSource.query(`SELECT current_query() AS q`);
        expect(q).toMatch(/^\/\*rowtrail:\{"id":"[0-9a-f-]{36}","m":\{"requestId":"on-native"\}\}\*\/SELECT/);
        await dataSource.getRepository(Product).save({ name: 'native', price: '1.00', stock: 1 });
        // the release guard comes along: a QueryRunner released inside its transaction is rolled back
        const queryRunner = dataSource.createQueryRunner();
        await queryRunner.startTransaction();
        await queryRunner.manager.save(Product, { name: 'native-leaked', price: '1.00', stock: 1 });
        await queryRunner.release();
      });
      const [{ status }] = await dataSource.query(`SELECT CASE WHEN txid_current_if_assigned() IS NULL THEN 'clean' ELSE 'in-transaction' END AS status`);
      expect(status).toBe('clean');
    });
    const rows = await historySince(db.pool, mark);
    expect(rows.map((r) => [r.operation, (r.changes as { name: string }).name, r.metadata])).toEqual([['INSERT', 'native', { requestId: 'on-native' }]]);
  });

  it('applied twice, sends each statement with one comment and keeps both error mappers', async () => {
    const seen: string[] = [];
    const options = withRowtrail(
      withRowtrail({ type: 'postgres', url: db.url, entities: [Product, LineItem, UntrackedNote], poolSize: 1 }, { mapError: (error) => (seen.push('first'), error) }),
      { mapError: (error) => (seen.push('second'), error) },
    );
    const mark = await lastEventId(db.pool);
    await withDataSource(options, async (dataSource) => {
      await run({ requestId: 'twice' }, async () => {
        const [{ q }] = await dataSource.query(`SELECT current_query() AS q`);
        expect(q.match(/\/\*rowtrail:/g)).toHaveLength(1);
        await dataSource.getRepository(Product).save({ name: 'twice', price: '1.00', stock: 1 });
        await expect(dataSource.query(`SELECT 1/0`)).rejects.toThrow(/division by zero/);
      });
    });
    expect(seen).toEqual(['first', 'second']);
    const rows = await historySince(db.pool, mark);
    expect(rows.map((r) => [(r.changes as { name: string }).name, r.metadata])).toEqual([['twice', { requestId: 'twice' }]]);
  });

  it('honours TypeORM\'s extra.Client: the application\'s class sees every statement, each with its context', async () => {
    for (const onNative of [false, true]) {
      const texts: string[] = [];
      class TracedClient extends pg.Client {
        override query(config: any, values?: any, callback?: any): any {
          texts.push(typeof config === 'string' ? config : config?.text ?? config?.cursor?.text);
          return (super.query as any)(config, values, callback);
        }
      }
      // as in the pg.native case above: a second JS pg module stands in for pg.native
      const driver = onNative ? (Object.create(pg, { native: { value: Object.create(pg) } }) as typeof pg) : undefined;
      const options = withRowtrail({
        type: 'postgres', url: db.url, entities: [Product, LineItem, UntrackedNote], poolSize: 1, extra: { Client: TracedClient },
        ...(onNative ? { driver, nativeDriver: {} } : {}),
      });
      const mark = await lastEventId(db.pool);
      const requestId = onNative ? 'traced-native' : 'traced';
      await withDataSource(options, async (dataSource) => {
        if (onNative) expect((dataSource.driver as unknown as { postgres: unknown }).postgres).not.toBe(options.driver); // TypeORM took .native
        await run({ requestId }, () => dataSource.getRepository(Product).save({ name: requestId, price: '1.00', stock: 1 }));
      });
      const rows = await historySince(db.pool, mark);
      expect(rows.map((r) => [(r.changes as { name: string }).name, r.metadata]), requestId).toEqual([[requestId, { requestId }]]);
      const insert = texts.find((text) => /INSERT INTO "product"/.test(text));
      expect(insert, requestId).toMatch(new RegExp(`^/\\*rowtrail:\\{"id":"[0-9a-f-]{36}","m":\\{"requestId":"${requestId}"\\}\\}\\*/INSERT INTO "product"`));
    }
  });

  it('refuses an extra.Client that is not a class, naming it and what it got', () => {
    expect(() => withRowtrail({ type: 'postgres', url: db.url, extra: { Client: 'pg' } })).toThrow(
      'Rowtrail: TypeORM\'s extra.Client (the pg Pool\'s Client option) must be a pg Client class, got a string ("pg")',
    );
  });
});
