/** Small statistics helpers shared by the benchmarks. */

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Percentile by linear interpolation between closest ranks (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** The variants in a different order each trial (rotation), so no variant always runs first. */
export function rotated<T>(items: readonly T[], trial: number): T[] {
  const shift = trial % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** Milliseconds since an arbitrary origin, sub-millisecond precision. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs fn and returns its duration in milliseconds. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = nowMs();
  await fn();
  return nowMs() - start;
}
