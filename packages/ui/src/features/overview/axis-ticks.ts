/**
 * Where the activity chart labels its time axis. Every label starts at its bucket's left edge: labels aligned
 * alike keep their spacing, where the earlier scheme (right half aligned to the bucket's right end) brought the first
 * label past the middle back onto the one before it ("Mon 14:00" over "Tue 11:00" at 7 days). Labels are spaced by the
 * widest one, and a label that would run past the chart's right edge is left out rather than cut or moved.
 */

/** The chart's tick font size, in the chart's own units (styles.css `.chart-tick`; the SVG scales as a whole). */
export const TICK_FONT = 11;
/** The space kept between two labels, in the chart's units. */
export const TICK_GAP = 8;

/**
 * A label's width, estimated (the server renders none): 0.62 em a character is wider than the digits and letters of
 * the usual sans-serif fonts. The chart also measures the labels once drawn and hides any that still collide.
 */
export const estimatedLabelWidth = (label: string): number => label.length * TICK_FONT * 0.62;

export interface AxisTick {
  index: number;
  x: number;
  label: string;
}

/** The ticks for `labels` (one per bucket, left to right) across `width`: at most about `most`, never overlapping. */
export function axisTicks(labels: string[], width: number, most = 8): AxisTick[] {
  if (labels.length === 0) return [];
  const slot = width / labels.length;
  const widest = Math.max(...labels.map(estimatedLabelWidth));
  const every = Math.max(Math.ceil(labels.length / most), Math.ceil((widest + TICK_GAP) / slot));
  const ticks: AxisTick[] = [];
  for (let index = 0; index < labels.length; index += every) {
    const x = index * slot;
    if (x + estimatedLabelWidth(labels[index]) <= width) ticks.push({ index, x, label: labels[index] });
  }
  return ticks;
}
