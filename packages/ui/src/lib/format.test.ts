import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Context } from '../api/types';
import { formatAgo, formatKey, formatValue, formatWho, hasApplicationContext, inColumnOrder, shortTable } from './format';

const context = (over: Partial<Context>): Context => ({
  id: 'c', user: null, requestId: null, method: null, url: null, metadata: {}, dbUser: 'root', applicationName: null, createdAt: '2026-01-01T00:00:00Z', ...over,
});

describe('formatting', () => {
  it('names who made a change: the user, an anonymous request, or the database session', () => {
    expect(formatWho(context({ user: 'sophie.support', requestId: 'r' }))).toBe('sophie.support');
    expect(formatWho(context({ user: 42 }))).toBe('42');
    expect(formatWho(context({ requestId: 'req-1' }))).toBe('anonymous');
    expect(formatWho(context({ applicationName: 'psql' }))).toBe('root (database, psql)');
    expect(formatWho(null)).toBe('unknown');
  });

  it('treats any application context as one, even without a user or request id (a job: run({ job }, …))', () => {
    const job = context({ metadata: { job: 'import-42' }, applicationName: 'psql' });
    expect(formatWho(job)).toBe('job import-42'); // not "anonymous": the job is who
    expect(formatWho(context({ metadata: { task: 'x' } }))).toBe('anonymous');
    expect(hasApplicationContext(job)).toBe(true);
    expect(hasApplicationContext(context({ applicationName: 'psql' }))).toBe(false);
    expect(hasApplicationContext(context({ requestId: 'req-1' }))).toBe(true);
  });

  it('formats keys, values and table names', () => {
    expect(formatKey({ id: 5 })).toBe('id 5');
    expect(formatKey({ tenant: 'acme', id: 5 })).toBe('tenant acme, id 5');
    expect(formatValue('text')).toBe('text');
    expect(formatValue({ a: [1] })).toBe('{"a":[1]}');
    expect(formatValue(null)).toBe('null');
    expect(shortTable('public.customer')).toBe('customer');
    expect(shortTable('billing.invoice')).toBe('billing.invoice');
  });

  describe('relative days are calendar days in the zone the time is shown in, not elapsed hours', () => {
    const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
    const days = (n: number) => relative.format(n, 'day'); // "yesterday", "2 days ago" in the browser's language
    // Dec 3, 2026, 5:28 PM in New York (UTC−5)
    const now = Date.parse('2026-12-03T22:28:00Z');

    it('calls every time of the day before "yesterday", early or late', () => {
      expect(formatAgo('2026-12-02T12:40:00Z', now, 'America/New_York')).toBe(days(-1)); // Dec 2, 7:40 AM
      expect(formatAgo('2026-12-02T07:07:00Z', now, 'America/New_York')).toBe(days(-1)); // Dec 2, 2:07 AM (39 hours)
      expect(formatAgo('2026-12-02T05:01:00Z', now, 'America/New_York')).toBe(days(-1)); // Dec 2, 12:01 AM (41 hours)
      expect(formatAgo('2026-12-02T04:30:00Z', now, 'America/New_York')).toBe(days(-2)); // Dec 1, 11:30 PM (42 hours)
    });

    it('counts the days of the zone given: the same instants in Tokyo (Dec 4, 7:28 AM) are two days back', () => {
      expect(formatAgo('2026-12-02T12:40:00Z', now, 'Asia/Tokyo')).toBe(days(-2)); // Dec 2, 9:40 PM there
      expect(formatAgo('2026-12-02T07:07:00Z', now, 'Asia/Tokyo')).toBe(days(-2)); // Dec 2, 4:07 PM there
    });

    it('keeps hours under a day, and counts days ahead the same way', () => {
      expect(formatAgo('2026-12-03T01:28:00Z', now, 'America/New_York')).toBe(relative.format(-21, 'hour')); // Dec 2, 8:28 PM
      expect(formatAgo('2026-12-05T04:00:00Z', now, 'America/New_York')).toBe(days(1)); // Dec 4, 11 PM: tomorrow (30 hours)
      expect(formatAgo('2026-11-26T14:00:00Z', now, 'America/New_York')).toBe(days(-7));
    });

    it('says "yesterday", never "24 hours ago", from 23.5 hours back: each unit takes over where the one below would round up to it', () => {
      const ago = (seconds: number) => formatAgo(new Date(now - seconds * 1000).toISOString(), now, 'America/New_York');
      const hours = (n: number) => relative.format(n, 'hour');
      expect(ago(23 * 3600 + 56 * 60)).toBe(days(-1)); // Dec 2, 5:32 PM: as yesterday as the one at 5:20 PM
      expect(ago(24 * 3600 + 8 * 60)).toBe(days(-1));
      expect(ago(23.5 * 3600)).toBe(days(-1));
      expect(ago(23.5 * 3600 - 1)).toBe(hours(-23));
      expect(ago(22.5 * 3600)).toBe(hours(-23));
      expect(ago(59.5 * 60)).toBe(hours(-1)); // not "60 minutes ago"
      expect(ago(59.5 * 60 - 1)).toBe(relative.format(-59, 'minute'));
      expect(ago(59.5)).toBe(relative.format(-1, 'minute')); // not "60 seconds ago"
      expect(ago(59.4)).toBe(relative.format(-59, 'second'));
      // ahead the same: 23.5 hours on is tomorrow (Dec 4, 4:58 PM), 90 minutes on "in 2 hours" as 90 minutes back is "2 hours ago"
      expect(ago(-23.5 * 3600)).toBe(days(1));
      expect(ago(-90 * 60)).toBe(hours(2));
      expect(ago(90 * 60)).toBe(hours(-2));
    });

    it('counts whole hours between 23.5 and 24 hours apart on one calendar day (just after midnight to just before the next)', () => {
      const late = Date.parse('2026-12-04T04:50:00Z'); // Dec 3, 11:50 PM in New York
      expect(formatAgo('2026-12-03T05:10:00Z', late, 'America/New_York')).toBe(relative.format(-23, 'hour')); // Dec 3, 12:10 AM
    });

    describe('date formats', () => {
      afterEach(() => { vi.restoreAllMocks(); });

      // A feed page shows hundreds of times: making an Intl.DateTimeFormat is slow, so one is made per time zone.
      it('are made once per time zone, not on every call', () => {
        formatAgo('2026-12-01T12:00:00Z', now, 'Europe/Lisbon'); // each zone's format made (once) before counting
        formatAgo('2026-12-01T12:00:00Z', now, 'Pacific/Auckland');
        const made = vi.spyOn(Intl, 'DateTimeFormat');
        for (let i = 0; i < 50; i++) {
          expect(formatAgo('2026-12-01T12:00:00Z', now, 'Europe/Lisbon')).toBe(days(-2));
          expect(formatAgo('2026-12-01T12:00:00Z', now, 'Pacific/Auckland')).toBe(days(-2)); // Dec 2, 1 AM → Dec 4, 11:28 AM
        }
        expect(made).not.toHaveBeenCalled();
      });
    });
  });
});

describe('formatKey and inColumnOrder', () => {
  it("names a key's parts in the order of the primary key given, not its JSON's", () => {
    expect(formatKey({ code: 1, region: 'eu' }, ['region', 'code'])).toBe('region eu, code 1');
    expect(formatKey({ code: 1, region: 'eu' })).toBe('code 1, region eu'); // no order known: the key's own
  });

  it('puts the columns the order does not list after, in their own order', () => {
    expect(inColumnOrder({ b: 1, zz: 2, a: 3, y: 4 }, ['a', 'b']).map(([c]) => c)).toEqual(['a', 'b', 'zz', 'y']);
  });
});
