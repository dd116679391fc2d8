/** Sizes and trial counts of a benchmark run: the full run, or the small smoke run CI uses. */
export interface BenchOptions {
  smoke: boolean;
  /** Rows per bulk statement (section 1). */
  bulkRows: number;
  /** Trials of each bulk variant (interleaved). */
  bulkTrials: number;
  /** Length of one throughput slice, ms (section 2); tracked and untracked slices alternate. */
  sliceMs: number;
  /** Slices per variant (section 2). */
  throughputTrials: number;
  /** Rows in the request-style tables (section 2 and 3). */
  requestRows: number;
  /** Operations per latency block and blocks per variant (section 3). */
  latencyOps: number;
  latencyTrials: number;
  /** Latency added by the proxy, each way, ms (section 3). */
  proxyDelayMs: number;
  /** Diff events generated for the read side (section 4). */
  readEvents: number;
  /** Diffs exported for the export throughput figure (section 4). */
  exportDiffs: number;
  /** Versions of the one record whose history the dashboard opens (section 4). */
  longRecordVersions: number;
  /** Queries per read-side percentile measurement. */
  readQueries: number;
  /** Single-row UPDATEs whose instructions are counted per variant, beyond a baseline run of a tenth as many (section 2). */
  instructionStatements: number;
}

export function benchOptions(smoke: boolean): BenchOptions {
  if (smoke) {
    return {
      smoke, bulkRows: 2_000, bulkTrials: 1, sliceMs: 250, throughputTrials: 1, requestRows: 200,
      latencyOps: 5, latencyTrials: 1, proxyDelayMs: 1, readEvents: 20_000, exportDiffs: 5_000, longRecordVersions: 200, readQueries: 10,
      instructionStatements: 20,
    };
  }
  return {
    smoke, bulkRows: 100_000, bulkTrials: 7, sliceMs: 4_000, throughputTrials: 5, requestRows: 10_000,
    latencyOps: 100, latencyTrials: 5, proxyDelayMs: 1, readEvents: 10_000_000, exportDiffs: 1_000_000, longRecordVersions: 10_000, readQueries: 500,
    instructionStatements: 1_000,
  };
}
