import { OPERATIONS, type EventFilters } from '../../api/types';
import { parseExactJson } from '../../lib/exact-json';
import { parseLinkTime } from '../../lib/link-time';
import { isWatermark, WATERMARK_HINT } from '../../lib/watermark';
import type { IgnoredParam } from '../../lib/route-params';

/**
 * A `table` of a link as the filters hold it: "schema.table", as GET /api/tables lists it. A bare name is read as the
 * API reads it, the table of that name in `public` (`customer` is `public.customer`), so the table control, Changed and
 * the record lookup find it and the next change writes the link clean; one not tracked shows as the selection, and the
 * feed says what the API answers, as for `public.nope`.
 */
const tableOfLink = (name: string): string => (name === '' || name.includes('.') ? name : `public.${name}`);

/**
 * Feed filters live in the URL so links can be shared. Values that cannot be used (a time that is not a time, an
 * unknown operation, a watermark that is not one) are left out and listed, so a bad link is reported instead of breaking
 * the page. Times are read as the API reads them (a time without offset is UTC, lib/link-time), so a link means the same
 * instant for every viewer.
 */
export function parseFeedFilters(params: URLSearchParams): { filters: EventFilters; ignored: IgnoredParam[] } {
  const ignored: IgnoredParam[] = [];
  // in any case, as the API reads it (`operation=update`); the link written next is upper case
  const operation = params.getAll('operation').flatMap((op) => {
    const known = OPERATIONS.find((o) => o === op.trim().toUpperCase());
    if (!known) ignored.push({ name: 'operation', value: op, reason: `not one of ${OPERATIONS.join(', ')}` });
    return known ? [known] : [];
  }).filter((op, i, all) => all.indexOf(op) === i);
  const time = (name: 'from' | 'to') => {
    const value = params.get(name);
    if (value === null) return undefined;
    const iso = parseLinkTime(value);
    if (iso === null) ignored.push({ name, value, reason: 'not an ISO 8601 date or date and time, such as 2026-12-01T06:00Z' });
    return iso ?? undefined;
  };
  const afterParam = params.get('after')?.trim() || undefined;
  const after = afterParam !== undefined && isWatermark(afterParam) ? afterParam : undefined;
  if (afterParam !== undefined && after === undefined) ignored.push({ name: 'after', value: afterParam, reason: `not a watermark: ${WATERMARK_HINT}` });
  const table = [...new Set(params.getAll('table').map(tableOfLink))];
  const recordKey = keyFilter(params.get('recordKey'), table, ignored);
  const changedParam = params.getAll('changed').map((c) => c.trim()).filter(Boolean);
  // the columns of one table: the API names a column that table's history does not record
  if (changedParam.length > 0 && table.length !== 1) ignored.push({ name: 'changed', value: changedParam.join(', '), reason: 'a changed column needs exactly one table' });
  const changed = table.length === 1 && changedParam.length > 0 ? changedParam : undefined;
  const filters: EventFilters = {
    table,
    operation,
    // trimmed, and empty as not given, as the filter form reads what is typed (else a link's " ann" never matched
    // the form's "ann", and the export said filter changes were not applied)
    user: params.get('user')?.trim() || undefined,
    requestId: params.get('requestId')?.trim() || undefined,
    dbUser: params.get('dbUser')?.trim() || undefined,
    from: time('from'),
    to: time('to'),
    after,
    recordKey,
    changed,
  };
  return { filters, ignored };
}

/** A `recordKey` link parameter that the API can use: a JSON object naming one or more key columns, with one table. */
function keyFilter(value: string | null, table: string[], ignored: IgnoredParam[]): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let key: unknown;
  try {
    key = parseExactJson(text);
  } catch {
    key = undefined;
  }
  const reason = key === null || typeof key !== 'object' || Array.isArray(key) || Object.keys(key).length === 0
    ? 'not a JSON object of key columns, such as {"id":5}'
    : table.length !== 1 ? 'a record key needs exactly one table' : undefined;
  if (reason === undefined) return text;
  ignored.push({ name: 'recordKey', value: text, reason });
  return undefined;
}

export const filtersFromParams = (params: URLSearchParams): EventFilters => parseFeedFilters(params).filters;

export function filtersToParams(filters: EventFilters): Record<string, string | string[] | undefined> {
  return {
    table: filters.table, operation: filters.operation, user: filters.user, requestId: filters.requestId, dbUser: filters.dbUser, from: filters.from, to: filters.to,
    after: filters.after, recordKey: filters.recordKey, changed: filters.changed,
  };
}

export const hasFilters = (f: EventFilters) =>
  Boolean(f.table?.length || f.operation?.length || f.user || f.requestId || f.dbUser || f.from || f.to || f.after || f.recordKey || f.changed?.length);
