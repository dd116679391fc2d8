import { describe, expect, it } from 'vitest';
import { href, parseHash } from '../../lib/router';
import { filtersFromParams, filtersToParams, hasFilters } from './feed-filter-params';

describe('feed filters in the URL', () => {
  it('survive a round trip through a shareable link', () => {
    const filters = { table: ['public.customer', 'public.product'], operation: ['UPDATE'], user: 'sophie.support', requestId: 'req-2041', from: '2026-11-20T00:00:00.000Z', to: undefined };
    const { params } = parseHash(href('/', filtersToParams(filters)));
    expect(filtersFromParams(params)).toEqual({ ...filters, to: undefined });
    expect(hasFilters(filtersFromParams(params))).toBe(true);
    expect(hasFilters(filtersFromParams(new URLSearchParams()))).toBe(false);
  });
});
