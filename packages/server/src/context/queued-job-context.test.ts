import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { bindContext, run } from './request-context.js';
import type { TestDatabase } from '../testing/test-database.js';
import { Product } from '../typeorm/test-entities.js';
import { historySince, lastEventId } from '../typeorm/test-history.js';
import { openTrackedDatabase, type TrackedTestDatabase } from '../typeorm/tracked-test-database.js';

// An in-process queue with limited concurrency (p-queue, p-limit, async.queue) starts the next job from the previous
// job's completion, in the async context of the job that finished: without bindContext(), every job a later request
// queued while one was running wrote as the request that queued the first.
let opened: TrackedTestDatabase;
let db: TestDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  opened = await openTrackedDatabase('queued_job_context', [Product], 2);
  ({ db, dataSource } = opened);
});
afterAll(() => opened?.close());

/** One job at a time: the next starts when the previous one settles. */
function serialQueue() {
  const pending: Array<() => Promise<unknown>> = [];
  let busy = false;
  let idle = Promise.resolve();
  let settle = () => {};
  const next = () => {
    if (busy) return;
    const job = pending.shift();
    if (!job) return;
    busy = true;
    void job().finally(() => { busy = false; if (pending.length) next(); else settle(); });
  };
  return {
    add(job: () => Promise<unknown>) {
      if (!busy && pending.length === 0) idle = new Promise<void>((resolve) => { settle = resolve; });
      pending.push(job);
      next();
    },
    onIdle: () => idle,
  };
}

async function queueFromThreeRequests(bind: boolean) {
  const queue = serialQueue();
  const before = await lastEventId(db.pool);
  await Promise.all(['alice', 'bob', 'carol'].map((user) => run({ user }, async () => {
    const job = () => dataSource.getRepository(Product).save({ name: `${bind ? 'bound' : 'plain'} job of ${user}`, price: '1.00', stock: 1 });
    queue.add(bind ? bindContext(job) : job);
  })));
  await queue.onIdle();
  return (await historySince(db.pool, before)).map((e) => [e.changes.name, e.metadata?.user]);
}

describe('bindContext()', () => {
  it('without it, a queue runs later requests\' jobs in the context of the job before them', async () => {
    // the behaviour bindContext() exists for (Node's AsyncLocalStorage, not Rowtrail's driver)
    expect(await queueFromThreeRequests(false)).toEqual([['plain job of alice', 'alice'], ['plain job of bob', 'alice'], ['plain job of carol', 'alice']]);
  });

  it('runs a queued job in the context it was bound in, whatever starts it', async () => {
    expect(await queueFromThreeRequests(true)).toEqual([['bound job of alice', 'alice'], ['bound job of bob', 'bob'], ['bound job of carol', 'carol']]);
  });

  it('binds a function made outside any context to none: its writes are no request\'s', async () => {
    const before = await lastEventId(db.pool);
    const job = bindContext(() => dataSource.getRepository(Product).save({ name: 'unbound', price: '1.00', stock: 1 }));
    await run({ user: 'erin' }, () => job());
    expect((await historySince(db.pool, before)).map((e) => [e.changes.name, e.metadata])).toEqual([['unbound', {}]]);
  });

  it('passes arguments and the return value through', async () => {
    const add = run({ user: 'frank' }, () => bindContext((a: number, b: number) => a + b));
    expect(add(2, 3)).toBe(5);
  });
});
