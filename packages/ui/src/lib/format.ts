import type { Context } from '../api/types';
import { stringifyExactJson } from './exact-json';

// Always with the time zone: the activity chart, the API and exports speak UTC, this is the browser's zone.
const dateTime = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** One date format per time zone (undefined: the browser's), made once: a feed of rows asks for hundreds of dates. */
const dayFormats = new Map<string | undefined, Intl.DateTimeFormat>();

function dayFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    dayFormats.set(timeZone, format);
  }
  return format;
}

/** The calendar date of an instant in a time zone, as a day count (UTC midnight of that date, in days). */
function calendarDay(time: number, timeZone: string | undefined): number {
  const parts = dayFormat(timeZone).formatToParts(time);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(part('year'), part('month') - 1, part('day')) / 86_400_000;
}

// in seconds
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/**
 * "3 hours ago", "yesterday", "4 days ago". Days are calendar days in the time zone the time is shown in (the browser's,
 * as formatTime): elapsed hours would call Dec 2, 7:40 AM "yesterday" and Dec 2, 2:07 AM "2 days ago" at Dec 3, 5:28 PM,
 * next to the date that says otherwise. Under a day apart, hours and minutes.
 *
 * Each unit takes over where the smaller one would round up to it (59.5 seconds is "1 minute ago", 59.5 minutes "1 hour
 * ago", 23.5 hours a day): rounding alone called a change 23 h 56 min old "24 hours ago" and an older one "yesterday".
 */
export function formatAgo(iso: string | null | undefined, now = Date.now(), timeZone?: string): string {
  if (!iso) return 'never';
  const time = new Date(iso).getTime();
  const seconds = (time - now) / 1000;
  const sign = seconds < 0 ? -1 : 1;
  const away = Math.abs(seconds);
  // rounded half away from zero, so 90 minutes ago and 90 minutes ahead round alike (Math.round(-1.5) is -1)
  const count = (size: number) => sign * Math.round(away / size);
  if (away >= DAY - HOUR / 2) {
    const days = calendarDay(time, timeZone) - calendarDay(now, timeZone);
    if (days !== 0) return relative.format(days, 'day');
    // The same calendar day 23.5 hours or more apart (just after midnight to just before the next), or a 25-hour day
    // (DST): whole hours elapsed, so under 24 hours never reads "24 hours ago".
    return relative.format(sign * Math.floor(away / HOUR), 'hour');
  }
  if (away >= HOUR - MINUTE / 2) return relative.format(count(HOUR), 'hour');
  if (away >= MINUTE - 0.5) return relative.format(count(MINUTE), 'minute');
  return relative.format(count(1), 'second');
}

/**
 * Whether the change was made with application context (a request, a job: any metadata set through `run()` or the
 * middleware). Writes without it (psql, migrations) store an empty metadata object.
 */
export function hasApplicationContext(context: Context): boolean {
  return Boolean(context.requestId) || Object.keys(context.metadata ?? {}).length > 0;
}

/**
 * What a context's page (`#/requests/<id>`) is: one HTTP request (it has a request id), another application context
 * such as a job (context set through `run()` without a request id), or a transaction written without application
 * context (psql, migrations).
 */
export type ContextKind = 'request' | 'context' | 'transaction';

export function contextKind(context: Context): ContextKind {
  if (context.requestId) return 'request';
  if (hasApplicationContext(context)) return 'context';
  return 'transaction';
}

/** The title of a context's page, as text: links to that page say the same. */
export function contextTitle(context: Context): string {
  const kind = contextKind(context);
  if (kind === 'request') return `Request ${context.requestId}`;
  if (kind === 'context') return `Changes made in context ${context.id}`;
  return 'Transaction without application context';
}

/** The context names a user (`metadata.user`), even an empty one: only null and undefined are no user. */
export const hasUser = (context: Context | null): context is Context & { user: string | number } =>
  context !== null && context.user !== null && context.user !== undefined;

/**
 * A user name that shows nothing: empty (`{"user": ""}`) or only whitespace. It is a user all the same (the write was
 * not anonymous), shown as a marker (components/who.tsx); the feed cannot filter by it, as its User filter trims what
 * is typed and reads an empty one as no filter.
 */
export const isBlankUser = (context: Context | null): boolean => hasUser(context) && String(context.user).trim() === '';

/**
 * Who made a change, as text: the application user; without one, the job its context names (`run({ job: 'import-42' }, …)`);
 * or the database session for writes without application context. A blank user name (isBlankUser) is written
 * `user ""` here; components/who.tsx shows it as a marker.
 */
export function formatWho(context: Context | null): string {
  if (!context) return 'unknown';
  if (hasUser(context)) return isBlankUser(context) ? `user ${JSON.stringify(String(context.user))}` : String(context.user);
  const job = context.metadata?.job;
  if (typeof job === 'string' && job.trim() !== '') return `job ${job}`;
  if (hasApplicationContext(context)) return 'anonymous';
  return `${context.dbUser} (database${context.applicationName ? `, ${context.applicationName}` : ''})`;
}

/**
 * A row's columns in `order` (the table's column order, or its primary key's, from GET /api/tables), not in the order
 * jsonb stores them (shorter keys first): columns `order` does not list (dropped since) go after, in their own order.
 */
export function inColumnOrder<T>(row: Record<string, T>, order: readonly string[] = []): [string, T][] {
  const entries = Object.entries(row);
  const rank = (column: string) => { const at = order.indexOf(column); return at < 0 ? order.length : at; };
  return entries.map((entry, at) => ({ entry, at })).sort((a, b) => rank(a.entry[0]) - rank(b.entry[0]) || a.at - b.at).map(({ entry }) => entry);
}

/**
 * {"id":5} → "id 5"; composite keys list every part, in `order` (the table's primary key, so a key (region, code)
 * reads "region eu, code 1" whatever order its JSON has).
 */
export function formatKey(key: Record<string, unknown>, order: readonly string[] = []): string {
  return inColumnOrder(key, order).map(([k, v]) => `${k} ${typeof v === 'string' ? v : stringifyExactJson(v)}`).join(', ');
}

/** A value as text: strings as they are, everything else as JSON (numbers with every digit, as the API wrote them). */
export function formatValue(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : stringifyExactJson(value);
}

/**
 * formatValue for a value that is (part of) a json/jsonb value, where the string "1" and the number 1 are different
 * values: a string is written as JSON writes it, quoted (`"1"`, `"true"`), as it already is inside an object or array.
 */
export function formatJsonValue(value: unknown): string {
  return value === undefined ? '' : stringifyExactJson(value);
}

export function shortTable(table: string): string {
  return table.startsWith('public.') ? table.slice('public.'.length) : table;
}
