/** Checks on values read from the address bar: a hand-edited or truncated link must never break a screen. */

/** A link parameter that could not be used, and why. */
export interface IgnoredParam {
  name: string;
  value: string;
  reason: string;
}

/** decodeURIComponent that answers null for a malformed escape (`%E0%A4%A`) instead of throwing. */
export function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** Event ids are positive integers (bigint on the server): digits only. */
export const isEventId = (value: string): boolean => /^[1-9][0-9]{0,19}$/.test(value);

/** The time as an ISO string when `value` is a date and time JavaScript can read, else null. */
export function parseTime(value: string): string | null {
  if (!value.trim()) return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/** An ISO time as the value of an `<input type="datetime-local">`, in local time; '' when it is not a valid time. */
export function toLocalInput(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, withSeconds ? 19 : 16);
}
