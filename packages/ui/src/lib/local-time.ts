/**
 * The browser's own time zone, for form fields that take a time the way people think of it (`<input
 * type="datetime-local">`). What leaves such a field is always an instant in UTC, so links and API calls never depend
 * on where they are opened; the field says which zone it is read in.
 */

/** The browser's IANA time zone (`Europe/Paris`), or `UTC` when the browser does not say. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * The value of a datetime-local field (`2026-12-01T09:30`, seconds optional), read in the browser's time zone, as UTC
 * ISO text; undefined when the field is empty or incomplete.
 */
export function fromLocalInput(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return undefined;
  const time = new Date(value); // a date-time without offset: the browser's local time, by the ECMAScript spec
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}
