/**
 * Times written in a link (`#/?from=…&to=…`). A shared link must mean the same instant for every viewer, so they are
 * read exactly as the HTTP API reads its `from`/`to` (docs/http-api.md): ISO 8601 `YYYY-MM-DD` or
 * `YYYY-MM-DDTHH:MM[:SS[.ffffff]]`, with `Z` or `±HH:MM` (`±HHMM`, `±HH`), and **no offset means UTC**, never the
 * browser's time zone. Anything else (`1`, `garbage`, `2026-02-30`) is refused, so the page can say it was ignored
 * rather than guess (JavaScript's Date would read `1` as the year 2001).
 */
const LINK_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * The instant as UTC ISO text (`2026-12-01T06:00:00.000Z`; microseconds kept when given, as the API's own times have
 * them), or null when `value` is not such a time.
 */
export function parseLinkTime(value: string): string | null {
  // In a URL fragment read with URLSearchParams an unencoded "+02:00" arrives as " 02:00": read it as the offset it was.
  const text = value.trim().replace(/(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?) (\d{2}(?::?\d{2})?)$/i, '$1+$2');
  const match = LINK_TIME.exec(text);
  if (!match) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone] = match;
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  const utc = !zone || zone.toUpperCase() === 'Z';
  const offsetHours = utc ? 0 : Number(zone.slice(1, 3));
  const offsetMinutes = utc ? 0 : Number(zone.replace(':', '').slice(3) || '0');
  const time = new Date(0);
  time.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, years 1–99 stay years 1–99
  if (year < 1 || month < 1 || month > 12 || time.getUTCDate() !== day) return null; // no "February 30"
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || offsetHours > 15 || offsetMinutes > 59) return null;
  const offset = (zone?.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  time.setUTCHours(Number(h), Number(mi) - offset, Number(s), 0);
  if (Number.isNaN(time.getTime()) || time.getUTCFullYear() < 1 || time.getUTCFullYear() > 9999) return null;
  // An offset is whole minutes, so the fraction of the second is the same in UTC: keep every digit given.
  const digits = (fraction.slice(1) + '000').slice(0, Math.max(3, fraction.length - 1));
  return time.toISOString().replace(/\.\d{3}Z$/, `.${digits}Z`);
}
