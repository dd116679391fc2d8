import type { Repository } from 'typeorm';
import type { BenchOptions } from './bench-options.js';
import type { BenchRow } from './bench-entities.js';
import { startLatencyProxy, throughProxy } from './latency-proxy.js';
import { openDataSources, REQUEST_TABLES, saveOp, setUpRequestTables, updateOp, type Tracking } from './request-write-bench.js';
import { median, nowMs, rotated } from './stats.js';

export interface LatencyCase {
  name: string;
  /** Median milliseconds per operation of each block: blockMedians[variant][trial]. */
  blockMedians: Record<Tracking, number[]>;
  /** Client-to-server chunks per operation (round trips, roughly), per variant. */
  chunksPerOp: Record<Tracking, number>;
}

export interface RoundTripResult {
  delayMs: number;
  opsPerBlock: number;
  trials: number;
  cases: LatencyCase[];
}

/** Section 3: latency of save() and autocommit update() through a proxy adding delay each way, one client. */
export async function runRoundTripBench(url: string, options: BenchOptions, log: (m: string) => void): Promise<RoundTripResult> {
  await setUpRequestTables(url, options.requestRows);
  const target = new URL(url);
  const proxy = await startLatencyProxy({ host: target.hostname, port: Number(target.port || 5432) }, options.proxyDelayMs);
  const sources = await openDataSources(throughProxy(url, proxy.port), 1);
  try {
    const repo = (t: Tracking) => sources[t].getRepository<BenchRow>(REQUEST_TABLES[t]);
    const cases: LatencyCase[] = [];
    const kinds = [
      { name: 'TypeORM save()', make: (r: Repository<BenchRow>) => saveOp(r, 1, options.requestRows) },
      { name: 'TypeORM update() (autocommit)', make: (r: Repository<BenchRow>) => updateOp(r, 1, options.requestRows) },
    ];
    for (const kind of kinds) {
      const ops = { untracked: kind.make(repo('untracked')), tracked: kind.make(repo('tracked')) };
      const result: LatencyCase = { name: kind.name, blockMedians: { untracked: [], tracked: [] }, chunksPerOp: { untracked: 0, tracked: 0 } };
      let i = 0;
      for (const variant of ['untracked', 'tracked'] as const) {
        for (let w = 0; w < 3; w++) await ops[variant](0, i++); // warm-up: entity loaded, plans cached
        const before = proxy.clientChunks();
        await ops[variant](0, i++);
        result.chunksPerOp[variant] = proxy.clientChunks() - before;
      }
      for (let trial = 0; trial < options.latencyTrials; trial++) {
        for (const variant of rotated(['untracked', 'tracked'] as const, trial)) {
          const samples: number[] = [];
          for (let n = 0; n < options.latencyOps; n++) {
            const start = nowMs();
            await ops[variant](0, i++);
            samples.push(nowMs() - start);
          }
          result.blockMedians[variant].push(median(samples));
        }
      }
      log(`${kind.name} via +${options.proxyDelayMs}ms proxy: untracked ${result.blockMedians.untracked.map((m) => m.toFixed(2)).join('/')} ms, tracked ${result.blockMedians.tracked.map((m) => m.toFixed(2)).join('/')} ms; chunks/op ${result.chunksPerOp.untracked} vs ${result.chunksPerOp.tracked}`);
      cases.push(result);
    }
    return { delayMs: options.proxyDelayMs, opsPerBlock: options.latencyOps, trials: options.latencyTrials, cases };
  } finally {
    await Promise.all(Object.values(sources).map((s) => s.destroy()));
    await proxy.close();
  }
}
