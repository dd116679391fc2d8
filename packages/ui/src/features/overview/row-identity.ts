import { isExactNumber } from '../../lib/exact-json';
import { formatValue } from '../../lib/format';

/**
 * Column names that usually say which row it was, best first. Matched on the name without `_`/`-` and case, so
 * `full_name`, `fullName` and `FULLNAME` are one name.
 */
const IDENTIFYING = ['name', 'fullname', 'displayname', 'title', 'email', 'username', 'login', 'sku', 'code', 'slug', 'reference', 'label', 'number', 'ordernumber'];
/** Longer texts (descriptions, notes) are poor identifiers unless their column is one of the names above. */
const SHORT_TEXT = 80;
/** What a feed item shows of one value; the record page has the rest. */
const SHOWN = 60;
/** Times say when, not which row: dates (`2026-12-04`, also BC and 5-digit years), date-times and times of day (`08:30:00`). */
const TIMESTAMP = /^(?:\d{4,}-\d{2}-\d{2}(?:$|[T ]\d{2}:\d{2}| BC$)|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}(?::?\d{2})?)?$)/;

export interface IdentityField {
  column: string;
  /** The value as shown, cut to a feed item's length. */
  text: string;
  /** A text value (shown in quotes), not a number or boolean. */
  isText: boolean;
}

const normalised = (column: string) => column.replace(/[_-]/g, '').toLowerCase();
const shorten = (text: string) => (text.length > SHOWN ? `${text.slice(0, SHOWN - 1)}…` : text);

/**
 * Up to `max` fields that tell which row an INSERT created or a DELETE removed ("name Alice Martin, email …"): the
 * primary key alone (`id 12`) says little once the row is gone. Best first: columns with identifying names, then other
 * short texts (not times), then references (`customer_id 3`) and other plain numbers; key columns are left out, the feed item shows
 * them already. Nulls and empty texts identify nothing.
 */
export function identifyingFields(row: Record<string, unknown>, key: Record<string, unknown>, max = 2): IdentityField[] {
  const candidates = Object.entries(row).filter(([column, value]) => !(column in key) && value !== null && value !== '');
  const rank = ([column, value]: [string, unknown]): number => {
    const named = IDENTIFYING.indexOf(normalised(column));
    if (typeof value === 'string') {
      if (named >= 0) return named;
      if (value.length <= SHORT_TEXT && !TIMESTAMP.test(value)) return IDENTIFYING.length;
      return -1;
    }
    const scalar = typeof value === 'number' || typeof value === 'boolean' || isExactNumber(value);
    if (!scalar) return -1;
    return /(_id|Id)$/.test(column) ? IDENTIFYING.length + 1 : IDENTIFYING.length + 2; // a reference (customer_id) says whose row
  };
  return candidates
    .map((entry, order) => ({ entry, order, rank: rank(entry) }))
    .filter((c) => c.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.order - b.order) // stable: the row's own column order breaks ties
    .slice(0, max)
    .map(({ entry: [column, value] }) => ({ column, text: shorten(formatValue(value)), isText: typeof value === 'string' }));
}
