import type { EventFilters } from '../../api/types';

export const RANGES = {
  '24h': { hours: 24, bucket: 'hour', label: '24 hours' },
  '7d': { hours: 24 * 7, bucket: 'hour', label: '7 days' },
  '30d': { hours: 24 * 30, bucket: 'day', label: '30 days' },
} as const;
export type Range = keyof typeof RANGES;

const HOUR = 3_600_000;
/** The most hourly bars a window gets (the 7-day range's); a longer window is drawn per day. */
const MAX_HOURLY = 24 * 7;

/** The time window the chart shows, and where it comes from. */
export interface ChartWindow {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
  /**
   * `range`: the Range control's window, ending now. `to`: the Range control's length, ending at the feed's To filter.
   * `filter`: the feed's From (and To, else now) filter alone; the Range control has no say.
   */
  source: 'range' | 'to' | 'filter';
  /** No To filter: the window ends with the current hour. */
  endsNow: boolean;
}

/**
 * The window of the activity chart. It follows the feed's time filter, so the control above it must say which window
 * is shown (a disabled "last 7 days" over a custom window would be false).
 */
export function chartWindow(filters: EventFilters, range: Range, now = Date.now()): ChartWindow {
  const to = filters.to ?? new Date(Math.ceil(now / HOUR) * HOUR).toISOString();
  if (filters.from) {
    const hours = (new Date(to).getTime() - new Date(filters.from).getTime()) / HOUR;
    return { from: filters.from, to, bucket: hours <= MAX_HOURLY ? 'hour' : 'day', source: 'filter', endsNow: !filters.to };
  }
  const { hours, bucket } = RANGES[range];
  return { from: new Date(new Date(to).getTime() - hours * HOUR).toISOString(), to, bucket, source: filters.to ? 'to' : 'range', endsNow: !filters.to };
}
