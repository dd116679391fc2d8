import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ExportLease } from './export-lease.js';

// A full garbage collection on demand, without starting the test process with --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('ExportLease.guard', () => {
  it('keeps nothing of an operation once it settled: an export reads a million diffs through it', async () => {
    // guard() needs no connection: the pools are not used
    const lease = new ExportLease({} as pg.Pool, {} as pg.Pool);
    const results = await readBatches(lease, 20);
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(results.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  });

  it('passes results and errors through', async () => {
    const lease = new ExportLease({} as pg.Pool, {} as pg.Pool);
    expect(await lease.guard(Promise.resolve(42))).toBe(42);
    await expect(lease.guard(Promise.reject(new Error('read failed')))).rejects.toThrow('read failed');
  });
});

/** Batches read through the lease the way the export reads them, seen only through weak references afterwards. */
async function readBatches(lease: ExportLease, count: number): Promise<Array<WeakRef<object>>> {
  const results: Array<WeakRef<object>> = [];
  for (let i = 0; i < count; i++) results.push(new WeakRef(await lease.guard(Promise.resolve({ rows: new Array(10_000).fill(i) }))));
  return results;
}
