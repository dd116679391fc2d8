import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { run } from '../context/request-context.js';
import { startRoundTripProxy, type RoundTripProxy } from '../testing/round-trip-proxy.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { installTracked } from './install-tracked.js';
import { LineItem, Product, UntrackedNote } from './test-entities.js';
import { historySince, lastEventId } from './test-history.js';
import { withRowtrail } from './with-rowtrail.js';

let db: TestDatabase;
let proxy: RoundTripProxy;
let tracked: DataSource;
let plain: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('round_trips');
  proxy = await startRoundTripProxy(db.url);
  const options = { type: 'postgres' as const, url: proxy.url, entities: [Product, LineItem, UntrackedNote], poolSize: 1 };
  tracked = new DataSource(withRowtrail({ ...options, synchronize: true }));
  plain = new DataSource(options);
  await tracked.initialize();
  await plain.initialize();
  await installTracked(tracked);
});
afterAll(async () => {
  await tracked?.destroy();
  await plain?.destroy();
  await proxy?.close();
  await db?.drop();
});

async function roundTripsOf(fn: () => Promise<unknown>): Promise<number> {
  const before = proxy.roundTrips();
  await fn();
  return proxy.roundTrips() - before;
}

describe('context costs no extra round trip', () => {
  it('tracked save() and autocommit update() with context send exactly as many round trips as untracked ones', async () => {
    const mark = await lastEventId(db.pool);
    // warm both pools so connection setup is not counted
    await tracked.query('SELECT 1');
    await plain.query('SELECT 1');

    const ctx = { user: 'alice', requestId: 'rt' };
    const trackedSave = await roundTripsOf(() => run(ctx, () => tracked.getRepository(Product).save({ name: 'a', price: '1.00', stock: 1 })));
    const plainSave = await roundTripsOf(() => plain.getRepository(UntrackedNote).save({ body: 'a' }));
    const trackedUpdate = await roundTripsOf(() => run(ctx, () => tracked.getRepository(Product).update({ name: 'a' }, { stock: 2 })));
    const plainUpdate = await roundTripsOf(() => plain.getRepository(UntrackedNote).update({ body: 'a' }, { body: 'b' }));

    expect({ trackedSave, trackedUpdate }).toEqual({ trackedSave: plainSave, trackedUpdate: plainUpdate });
    expect(trackedUpdate).toBe(1); // an autocommit update is one round trip: no BEGIN/COMMIT added
    // and the context did arrive
    const rows = await historySince(db.pool, mark);
    expect(rows.map((r) => [r.operation, r.metadata?.requestId])).toEqual([['INSERT', 'rt'], ['UPDATE', 'rt']]);
  });
});
