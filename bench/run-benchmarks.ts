import { randomBytes } from 'node:crypto';
import { benchOptions, type BenchOptions } from './bench-options.js';
import { dropDatabase, ensureDatabase, freshDatabase, machineInfo } from './bench-database.js';
import type { BenchResults } from './bench-results.js';
import { runBulkWriteBench } from './bulk-write-bench.js';
import { measureCaptureInstructions } from './capture-instructions.js';
import { runReadSideBench } from './read-side-bench.js';
import { runRequestWriteBench } from './request-write-bench.js';
import { runRoundTripBench } from './round-trip-bench.js';

export const SECTIONS = ['bulk', 'request', 'roundTrip', 'readSide'] as const;
export type Section = (typeof SECTIONS)[number];

export interface RunOptions {
  /** PostgreSQL server URL; each section gets a database of its own on it. */
  serverUrl: string;
  embedded: boolean;
  smoke: boolean;
  sections?: Section[];
  /** Overrides of the sizes (e.g. fewer trials while iterating). */
  sizes?: Partial<BenchOptions>;
  log?: (message: string) => void;
}

/**
 * Runs the benchmark sections. Full runs use fixed database names (the 10M-event
 * read-side data set is kept between runs); smoke runs use throwaway databases,
 * so several can run at once.
 */
export async function runBenchmarks(options: RunOptions): Promise<BenchResults> {
  const log = options.log ?? (() => undefined);
  const sizes = { ...benchOptions(options.smoke), ...options.sizes };
  const sections = options.sections ?? [...SECTIONS];
  const suffix = options.smoke ? `_smoke_${randomBytes(3).toString('hex')}` : '';
  const results: BenchResults = {
    startedAt: new Date().toISOString(), finishedAt: '', smoke: options.smoke, machine: await machineInfo(options.serverUrl, options.embedded),
  };
  const throwaway: string[] = [];
  const fresh = async (name: string) => {
    const full = `rowtrail_bench_${name}${suffix}`;
    if (options.smoke) throwaway.push(full);
    return freshDatabase(options.serverUrl, full);
  };
  try {
    if (sections.includes('bulk')) {
      log('== 1. bulk write overhead');
      results.bulk = await runBulkWriteBench(await fresh('bulk'), sizes, log);
    }
    if (sections.includes('request')) {
      log('== 2. request-style writes');
      const url = await fresh('request');
      results.request = await runRequestWriteBench(url, sizes, log);
      results.request.instructions = await measureCaptureInstructions(url, sizes.requestRows, sizes.instructionStatements, log);
    }
    if (sections.includes('roundTrip')) {
      log('== 3. context round trips');
      results.roundTrip = await runRoundTripBench(await fresh('latency'), sizes, log);
    }
    if (sections.includes('readSide')) {
      log('== 4. read side');
      const name = `rowtrail_bench_read${suffix}`;
      if (options.smoke) throwaway.push(name);
      results.readSide = await runReadSideBench((await ensureDatabase(options.serverUrl, name)).url, sizes, log);
    }
  } finally {
    for (const name of throwaway) await dropDatabase(options.serverUrl, name).catch(() => undefined);
  }
  results.finishedAt = new Date().toISOString();
  return results;
}
