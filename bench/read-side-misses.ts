import type { BenchResults } from './bench-results.js';

const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
const int = (v: number) => Math.round(v).toLocaleString('en-US');

/**
 * Why the read side's absolute targets (history and feed p99, export throughput) were missed in this run, from its own
 * measurements: unlike the write ratios they are not measured against a variant on the same machine, so the run's
 * floor for any query and the export's server part say how much of a miss is the machine. Empty when all are met.
 */
export function readSideMisses(read: NonNullable<BenchResults['readSide']>): string[] {
  const missed: string[] = [];
  if (read.recordHistory.p99 > 5) missed.push(`a record's history page p99 ${ms(read.recordHistory.p99)} (target ≤ 5 ms)`);
  if (read.feedPage.p99 > 20) missed.push(`a feed page p99 ${ms(read.feedPage.p99)} (target ≤ 20 ms)`);
  if (read.export.diffsPerSecond < 100_000) missed.push(`export ${int(read.export.diffsPerSecond)} diffs/s (target ≥ 100,000)`);
  if (missed.length === 0) return [];
  const why: string[] = [];
  if (read.trivialQuery) {
    why.push(`the run's floor for any query, a \`SELECT 1\` through the same pool, took ${ms(read.trivialQuery.p50)} at p50 and ${ms(read.trivialQuery.p99)} at p99 (the same code met these targets on machines where it took about 0.06 ms at p50)`);
  }
  if (read.exportSqlPerSecond && read.export.diffsPerSecond < 100_000) {
    const serverSeconds = read.export.diffs / read.exportSqlPerSecond;
    why.push(`the export's SQL alone, on the server, needed ${serverSeconds.toFixed(1)} s of the export's ${read.export.seconds.toFixed(1)} s (${int(read.exportSqlPerSecond)} events/s), while Node decoded and wrote the lines on the same two cores`);
  }
  return [`**Missed in this run:** ${missed.join('; ')}. These are absolute figures, not ratios measured side by side, so they follow the speed of the machine${why.length ? `: ${why.join('; ')}` : ''}.`, ''];
}
