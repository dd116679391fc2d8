// A time without offset in a link is UTC (as in the API): run west of Greenwich, where reading it as local time shows.
process.env.TZ = 'America/Los_Angeles';

import { describe, expect, it } from 'vitest';
import { href, parseHash } from '../../lib/router';
import { filtersFromParams, filtersToParams, hasFilters, parseFeedFilters } from './feed-filter-params';

describe('feed filters in the URL', () => {
  it('survive a round trip through a shareable link', () => {
    const filters = { table: ['public.customer', 'public.product'], operation: ['UPDATE'], user: 'sophie.support', requestId: 'req-2041', from: '2026-11-20T00:00:00.000Z', to: undefined, after: '7430:7433:7431' };
    const { params } = parseHash(href('/', filtersToParams(filters)));
    expect(filtersFromParams(params)).toEqual({ ...filters, to: undefined });
    expect(hasFilters(filtersFromParams(params))).toBe(true);
    expect(hasFilters(filtersFromParams(new URLSearchParams()))).toBe(false);
    expect(hasFilters(filtersFromParams(new URLSearchParams('after=7430:7433:')))).toBe(true);
  });
});

describe('feed filters from a hand-edited link', () => {
  it('drop and report times that are not times and unknown operations, keeping the rest', () => {
    const { filters, ignored } = parseFeedFilters(new URLSearchParams('from=garbage&to=2026-11-20T10:00:00Z&operation=UPSERT&operation=DELETE&user=a'));
    expect(filters).toEqual({ table: [], operation: ['DELETE'], user: 'a', requestId: undefined, from: undefined, to: '2026-11-20T10:00:00.000Z', after: undefined });
    expect(ignored.map((p) => [p.name, p.value])).toEqual([['operation', 'UPSERT'], ['from', 'garbage']]);
  });

  it('drop and report an after that is not an export watermark', () => {
    const { filters, ignored } = parseFeedFilters(new URLSearchParams('after=7433:7430:&user=a'));
    expect(filters.after).toBeUndefined();
    expect(filters.user).toBe('a');
    expect(ignored).toEqual([{ name: 'after', value: '7433:7430:', reason: expect.stringMatching(/^not a watermark: the "watermark" of an earlier export's header/) }]);
    expect(parseFeedFilters(new URLSearchParams('after=%207430:7433:7431%20')).filters.after).toBe('7430:7433:7431');
  });

  it('read times without offset as UTC, a date alone as UTC midnight, the same instant for every viewer', () => {
    expect(new Date('2026-12-01T00:00:00Z').getTimezoneOffset()).toBe(480);
    const { filters, ignored } = parseFeedFilters(new URLSearchParams('from=2026-12-01&to=2026-12-01T06:00'));
    expect(ignored).toEqual([]);
    expect([filters.from, filters.to]).toEqual(['2026-12-01T00:00:00.000Z', '2026-12-01T06:00:00.000Z']);
  });

  it('report a number or a partial date as ignored instead of guessing a year', () => {
    const { filters, ignored } = parseFeedFilters(new URLSearchParams('from=1&to=2026-12'));
    expect([filters.from, filters.to]).toEqual([undefined, undefined]);
    expect(ignored.map((p) => [p.name, p.value])).toEqual([['from', '1'], ['to', '2026-12']]);
    expect(ignored[0].reason).toMatch(/ISO 8601/);
  });
});
