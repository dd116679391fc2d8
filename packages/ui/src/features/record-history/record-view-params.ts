import { parseLinkTime } from '../../lib/link-time';
import { isEventId, type IgnoredParam } from '../../lib/route-params';
import type { RecordView } from './record-history';

/**
 * The record page's view (`version`, `compare`, `at`) from the link. Values that cannot be used are left out and
 * listed, so a bad parameter is reported instead of breaking the page.
 */
export function parseRecordView(params: URLSearchParams): { view: RecordView; ignored: IgnoredParam[] } {
  const ignored: IgnoredParam[] = [];
  const version = params.get('version');
  if (version !== null && !isEventId(version)) ignored.push({ name: 'version', value: version, reason: 'not a version id' });

  const compareParam = params.get('compare');
  const ids = compareParam?.split(',').filter(Boolean) ?? [];
  const compare = [...new Set(ids.filter(isEventId))];
  if (compareParam !== null && ids.some((id) => !isEventId(id))) {
    ignored.push({ name: 'compare', value: compareParam, reason: 'expected two version ids separated by a comma' });
  } else if (compare.length > 2) {
    ignored.push({ name: 'compare', value: compareParam!, reason: 'only two versions can be compared; the first two are used' });
  }

  // as the feed's from/to: a shared link means the same instant for every viewer (no offset is UTC, as in the API)
  const atParam = params.get('at');
  const at = atParam === null ? null : parseLinkTime(atParam);
  if (atParam !== null && at === null) ignored.push({ name: 'at', value: atParam, reason: 'not a date and time' });

  return { view: { version: version !== null && isEventId(version) ? version : null, compare: compare.slice(0, 2), at }, ignored };
}
