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

  it('keep a record key filter with its one table, digits as written', () => {
    const filters = { table: ['public.article_tag'], recordKey: '{"article_id":9007199254740993}' };
    const { params } = parseHash(href('/', filtersToParams(filters)));
    expect(parseFeedFilters(params)).toEqual({ filters: expect.objectContaining(filters), ignored: [] });
    expect(hasFilters({ recordKey: '{"id":1}' })).toBe(true);
  });
});

describe('changed columns in a link', () => {
  it('are kept with one table, and reported and left out without exactly one', () => {
    const filters = { table: ['public.customer'], changed: ['email', 'phone'] };
    expect(parseFeedFilters(parseHash(href('/', filtersToParams(filters))).params)).toEqual({ filters: expect.objectContaining(filters), ignored: [] });
    expect(hasFilters({ changed: ['email'] })).toBe(true);
    const { filters: none, ignored } = parseFeedFilters(new URLSearchParams('changed=email'));
    expect([none.changed, ignored]).toEqual([undefined, [{ name: 'changed', value: 'email', reason: 'a changed column needs exactly one table' }]]);
  });
});

describe('a record key in a link', () => {
  it('is reported and left out unless it is a JSON object of key columns given with exactly one table', () => {
    const cases: [string, string][] = [
      ['recordKey={"id":5}', 'a record key needs exactly one table'],
      ['table=a&table=b&recordKey={"id":5}', 'a record key needs exactly one table'],
      ['table=a&recordKey={}', 'not a JSON object of key columns, such as {"id":5}'],
      ['table=a&recordKey=[5]', 'not a JSON object of key columns, such as {"id":5}'],
      ['table=a&recordKey={"id":', 'not a JSON object of key columns, such as {"id":5}'],
      ['table=a&recordKey=5', 'not a JSON object of key columns, such as {"id":5}'],
    ];
    for (const [query, reason] of cases) {
      const { filters, ignored } = parseFeedFilters(new URLSearchParams(query));
      expect(filters.recordKey, query).toBeUndefined();
      expect(ignored, query).toEqual([{ name: 'recordKey', value: new URLSearchParams(query).get('recordKey'), reason }]);
    }
    expect(parseFeedFilters(new URLSearchParams('table=a&recordKey=%20')).ignored).toEqual([]); // empty: no filter
  });
});

describe('feed filters from a hand-edited link', () => {
  it('drop and report times that are not times and unknown operations, keeping the rest', () => {
    const { filters, ignored } = parseFeedFilters(new URLSearchParams('from=garbage&to=2026-11-20T10:00:00Z&operation=UPSERT&operation=DELETE&user=a'));
    expect(filters).toEqual({ table: [], operation: ['DELETE'], user: 'a', requestId: undefined, from: undefined, to: '2026-11-20T10:00:00.000Z', after: undefined });
    expect(ignored.map((p) => [p.name, p.value])).toEqual([['operation', 'UPSERT'], ['from', 'garbage']]);
  });

  it('read a user or request id as the filter form does: trimmed, and empty as not given', () => {
    expect(parseFeedFilters(new URLSearchParams('user=%20sophie.support%20&requestId=%20req-1')).filters).toMatchObject({ user: 'sophie.support', requestId: 'req-1' });
    expect(parseFeedFilters(new URLSearchParams('user=&requestId=%20')).filters).toMatchObject({ user: undefined, requestId: undefined });
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

describe('a table named without its schema in a link', () => {
  it('is the table of that name in public, as the API reads it: the same filters as table=public.customer', () => {
    const bare = parseFeedFilters(new URLSearchParams('table=customer&changed=email'));
    expect(bare).toEqual(parseFeedFilters(new URLSearchParams('table=public.customer&changed=email')));
    expect(bare.filters.table).toEqual(['public.customer']);
    expect(bare.ignored).toEqual([]);
    // the next change writes it clean
    expect(href('/', filtersToParams(bare.filters))).toBe('#/?table=public.customer&changed=email');
    // named twice, once each way: one table
    expect(parseFeedFilters(new URLSearchParams('table=customer&table=public.customer')).filters.table).toEqual(['public.customer']);
    // a table with its schema is kept as written
    expect(parseFeedFilters(new URLSearchParams('table=sales.invoice')).filters.table).toEqual(['sales.invoice']);
  });
});

describe('operations in a link', () => {
  it('are read in any case, as the API reads them, and written back in upper case', () => {
    const { filters, ignored } = parseFeedFilters(new URLSearchParams('operation=update&operation=Delete'));
    expect([filters.operation, ignored]).toEqual([['UPDATE', 'DELETE'], []]);
    expect(href('/', filtersToParams(filters))).toBe('#/?operation=UPDATE&operation=DELETE');
    expect(parseFeedFilters(new URLSearchParams('operation=upsert')).ignored).toEqual([{ name: 'operation', value: 'upsert', reason: 'not one of INSERT, UPDATE, DELETE' }]);
    expect(parseFeedFilters(new URLSearchParams('operation=update&operation=UPDATE')).filters.operation).toEqual(['UPDATE']);
  });
});
