import { median } from './stats.js';

/** Median over trials of a[i] / b[i]: each ratio compares measurements taken side by side. */
export function trialRatio(a: number[], b: number[]): number {
  if (a.length !== b.length || a.length === 0) throw new Error(`trialRatio: ${a.length} vs ${b.length} trials`);
  return median(a.map((x, i) => x / b[i]));
}
