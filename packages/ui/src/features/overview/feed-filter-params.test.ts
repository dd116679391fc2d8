import { describe, expect, it } from 'vitest';
import { href, parseHash } from '../../lib/router';
import { filtersFromParams, filtersToParams, hasFilters, parseFeedFilters } from './feed-filter-params';

describe('feed filters in the URL', () => {
  it('survive a round trip through a shareable link', () => {
    const filters = { table: ['public.customer', 'public.product'], operation: ['UPDATE'], user: 'sophie.support', requestId: 'req-2041', from: '2026-11-20T00:00:00.000Z', to: undefined };
    const { params } = parseHash(href('/', filtersToParams(filters)));
    expect(filtersFromParams(params)).toEqual({ ...filters, to: undefined });
    expect(hasFilters(filtersFromParams(params))).toBe(true);
    expect(hasFilters(filtersFromParams(new URLSearchParams()))).toBe(false);
  });
});

describe('feed filters from a hand-edited link', () => {
  it('drop and report times that are not times and unknown operations, keeping the rest', () => {
    const { filters, ignored } = parseFeedFilters(new URLSearchParams('from=garbage&to=2026-11-20T10:00:00Z&operation=UPSERT&operation=DELETE&user=a'));
    expect(filters).toEqual({ table: [], operation: ['DELETE'], user: 'a', requestId: undefined, from: undefined, to: '2026-11-20T10:00:00.000Z' });
    expect(ignored.map((p) => [p.name, p.value])).toEqual([['operation', 'UPSERT'], ['from', 'garbage']]);
  });
});
