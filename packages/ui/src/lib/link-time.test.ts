// West of Greenwich: a time without offset must still be read as UTC, not as this zone's local time.
process.env.TZ = 'America/Los_Angeles';

import { describe, expect, it } from 'vitest';
import { parseLinkTime } from './link-time';

describe('times in a link', () => {
  it('runs in a time zone west of UTC', () => {
    expect(new Date('2026-12-01T00:00:00Z').getTimezoneOffset()).toBe(480);
  });

  it('read a time without offset as UTC, as the API does, whatever the browser zone', () => {
    expect(parseLinkTime('2026-12-01T00:00')).toBe('2026-12-01T00:00:00.000Z');
    expect(parseLinkTime('2026-12-01T06:00:30')).toBe('2026-12-01T06:00:30.000Z');
    expect(parseLinkTime('2026-12-01 06:00')).toBe('2026-12-01T06:00:00.000Z');
  });

  it('read a date alone as UTC midnight, like a time without offset', () => {
    expect(parseLinkTime('2026-12-01')).toBe('2026-12-01T00:00:00.000Z');
  });

  it('honour an explicit offset in every form the API accepts', () => {
    expect(parseLinkTime('2026-12-01T06:00Z')).toBe('2026-12-01T06:00:00.000Z');
    expect(parseLinkTime('2026-12-01T06:00:00.000z')).toBe('2026-12-01T06:00:00.000Z');
    expect(parseLinkTime('2026-12-01T09:00+03:00')).toBe('2026-12-01T06:00:00.000Z');
    expect(parseLinkTime('2026-12-01T09:00+0300')).toBe('2026-12-01T06:00:00.000Z');
    expect(parseLinkTime('2026-12-01T03:00-03')).toBe('2026-12-01T06:00:00.000Z');
    expect(parseLinkTime('2026-12-01T00:30+05:30')).toBe('2026-11-30T19:00:00.000Z');
  });

  it('read an unencoded "+" offset, which the query string turned into a space', () => {
    expect(parseLinkTime(new URLSearchParams('from=2026-12-01T09:00+03:00').get('from')!)).toBe('2026-12-01T06:00:00.000Z');
  });

  it('keep microseconds, as the API writes them', () => {
    expect(parseLinkTime('2026-12-01T06:00:00.123456Z')).toBe('2026-12-01T06:00:00.123456Z');
    expect(parseLinkTime('2026-12-01T06:00:00.5+01:00')).toBe('2026-12-01T05:00:00.500Z');
  });

  it('refuse what is not an ISO 8601 date or date-time, instead of guessing', () => {
    for (const bad of ['1', '2026', '2026-12', 'garbage', '', ' ', 'Dec 1, 2026', '2026-02-30', '2026-13-01', '2026-12-01T24:00',
      '2026-12-01T06:60', '2026-12-01T06:00:00.1234567Z', '2026-12-01T06:00+16:00', '0000-01-01', '1764547200000']) {
      expect(parseLinkTime(bad), bad).toBeNull();
    }
  });
});
