import { invalidParameter } from './query-errors.js';

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** A checked instant: its text for a timestamptz parameter, and its exact position in time for comparisons. */
export interface Instant {
  /** ISO 8601 with the zone (Z when none was given), microseconds kept. */
  text: string;
  /** Microseconds since 1970-01-01T00:00:00Z. */
  micros: bigint;
}

/**
 * A valid ISO 8601 instant or a 400 naming the parameter; without an offset it means UTC. Checked strictly
 * here (no "February 30", years 1–9999), so PostgreSQL never sees a bad date.
 */
export function requireInstant(value: Date | string, parameter: string): Instant {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalidParameter(parameter, 'is an invalid Date');
    const year = value.getUTCFullYear();
    if (year < 1 || year > 9999) throw invalidParameter(parameter, `must be a Date in the years 1 to 9999, got ${value.toISOString()}`);
    return { text: value.toISOString(), micros: BigInt(value.getTime()) * 1000n };
  }
  const given = String(value);
  const bad = () => {
    // "+02:00" in a URL query string arrives as " 02:00" unless written %2B
    const plus = given.replace(/(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?) (\d{2}(?::?\d{2})?)$/i, '$1+$2');
    const hint = plus !== given && ISO_TIME.test(plus) ? ' (a "+" in a URL query must be written %2B)' : '';
    return invalidParameter(parameter, `must be an ISO 8601 date or date-time such as 2024-05-01 or 2024-05-01T12:30:00Z, got ${JSON.stringify(given.slice(0, 60))}${hint}`);
  };
  const match = ISO_TIME.exec(given);
  if (!match) throw bad();
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone] = match;
  const year = Number(y), month = Number(mo), day = Number(d);
  const utc = !zone || zone.toUpperCase() === 'Z';
  const offsetHours = utc ? 0 : Number(zone.slice(1, 3));
  const offsetMinutes = utc ? 0 : Number(zone.replace(':', '').slice(3) || '0');
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, years 1–99 stay years 1–99
  if (year < 1 || month < 1 || month > 12 || wall.getUTCDate() !== day || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw bad();
  if (offsetHours > 15 || offsetMinutes > 59) throw bad();
  const offset = (zone?.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  wall.setUTCHours(Number(h), Number(mi) - offset, Number(s), 0);
  const micros = BigInt(wall.getTime()) * 1000n + BigInt((fraction.slice(1) + '000000').slice(0, 6));
  return { text: `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction}${utc ? 'Z' : zone}`, micros };
}

/** requireInstant's text, for a timestamptz parameter. */
export const requireTime = (value: Date | string, parameter: string): string => requireInstant(value, parameter).text;
