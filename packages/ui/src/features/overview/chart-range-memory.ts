import { sessionStore } from '../../lib/session-store';
import { RANGES, type Range } from './activity-window';

const KEY = 'rowtrail.chartRange';

/**
 * The chart's range chosen last in this tab: kept for the tab's session, so coming Back from a record page (or a
 * reload) shows the range the user chose rather than the default 7 days. Not in the URL: a shared feed link stays the
 * feed's filters only.
 */
export function rememberedRange(): Range {
  const stored = sessionStore()?.getItem(KEY);
  return stored !== null && stored !== undefined && Object.hasOwn(RANGES, stored) ? (stored as Range) : '7d';
}

export function rememberRange(range: Range): void {
  try {
    sessionStore()?.setItem(KEY, range);
  } catch {
    // a full or refused storage: the range is still used on this page
  }
}
