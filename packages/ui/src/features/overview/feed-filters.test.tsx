import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { EventFilters, TrackedTable } from '../../api/types';
import { useFeedFilterDraft } from './feed-filter-draft';
import { CHANGED_UPDATES_ONLY, FeedFilters, withChanged } from './feed-filters';

const table = (name: string): TrackedTable => ({
  table: name, snapshotTable: `rowtrail.${name}`, primaryKey: ['id'], columns: [{ name: 'id', type: 'integer' }, { name: 'email', type: 'text' }],
  events: 1, eventsEstimated: false, lastChangeAt: null, recording: true,
});

function Form({ filters }: { filters: EventFilters }) {
  return <FeedFilters filters={filters} draft={useFeedFilterDraft(filters)} onChange={() => {}} />;
}

function render(filters: EventFilters): string {
  const client = new QueryClient();
  client.setQueryData(['tables'], { tables: ['public.customer', 'public.product', 'public.shop_order'].map(table) });
  return renderToStaticMarkup(<QueryClientProvider client={client}><Form filters={filters} /></QueryClientProvider>);
}
/** The label of the option the table control shows as chosen. */
const shownTable = (html: string) => {
  const select = /<select[^>]*>([\s\S]*?)<\/select>/.exec(html)![1];
  return /<option[^>]*selected=""[^>]*>([^<]*)<\/option>/.exec(select)?.[1] ?? /<option[^>]*>([^<]*)<\/option>/.exec(select)![1];
};

describe('the table filter', () => {
  it('shows the one table the feed is filtered by', () => {
    expect(shownTable(render({ table: ['public.product'] }))).toBe('product');
    expect(shownTable(render({}))).toBe('all tables');
  });

  it('does not claim a single table (or all tables) when the link filters by several', () => {
    expect(shownTable(render({ table: ['public.customer', 'public.shop_order'] }))).toBe('customer, shop_order');
  });

  it('does not claim "all tables" when the link names a table that is not tracked', () => {
    expect(shownTable(render({ table: ['public.nope'] }))).toBe('nope');
  });
});

describe('the changed-column filter', () => {
  /** The label of the option the Changed control shows as chosen, or null without the control. */
  const shownChanged = (html: string) => {
    const field = /<span>Changed<\/span><select[^>]*>([\s\S]*?)<\/select>/.exec(html)?.[1];
    if (field === undefined) return null;
    return /<option[^>]*selected=""[^>]*>([^<]*)<\/option>/.exec(field)?.[1] ?? /<option[^>]*>([^<]*)<\/option>/.exec(field)![1];
  };

  it('lists the columns of the one table filtered by, and is not offered for all tables or several', () => {
    const html = render({ table: ['public.product'] });
    expect(html).toContain('<option value="" selected="">any column</option><option value="id">id</option><option value="email">email</option>');
    expect(shownChanged(html)).toBe('any column');
    expect(shownChanged(render({ table: ['public.product'], changed: ['email'] }))).toBe('email');
    expect(shownChanged(render({}))).toBeNull();
    expect(shownChanged(render({ table: ['public.customer', 'public.product'] }))).toBeNull();
  });

  it('shows a link\'s several columns, or one the table does not list, as they are', () => {
    expect(shownChanged(render({ table: ['public.product'], changed: ['email', 'id'] }))).toBe('email or id');
    expect(shownChanged(render({ table: ['public.product'], changed: ['emial'] }))).toBe('emial');
  });
});

describe('the record key filter', () => {
  it('shows the key a link or the record lookup applied, with a button that removes it', () => {
    const html = render({ table: ['public.product'], recordKey: '{"id":7}' });
    expect(html).toContain('<span>Key</span><span class="key-filter"><code>id 7</code><button type="button" class="secondary" aria-label="Remove the key filter id 7">Remove</button></span>');
    expect(render({ table: ['public.product'] })).not.toContain('key-filter');
  });
});

describe('the time fields', () => {
  it('say which time zone they are read in', () => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const html = render({});
    expect(html).toContain(`<span>From <span class="field-zone">(${zone})</span></span>`);
    expect(html).toContain(`<span>To <span class="field-zone">(${zone})</span></span>`);
  });
});

describe('the after-export field', () => {
  it('shows the applied watermark and says what to paste', () => {
    const html = render({ after: '7430:7433:7431' });
    expect(html).toMatch(/<label for="([^"]+)">After export <span class="field-zone">\(its watermark\)<\/span><\/label><input id="\1" placeholder="e.g. 7430:7433:7431"[^>]* name="after" value="7430:7433:7431"\/>/);
    expect(render({})).toContain('name="after" value=""');
  });
});

describe('the changed-column filter and the operations', () => {
  const checkbox = (html: string, op: string) => new RegExp(`<input type="checkbox"[^>]*/> ${op}<`).exec(html)![0];

  it('says Changed lists updates only, and no longer offers insert and delete, which could only empty the feed', () => {
    const html = render({ table: ['public.customer'], changed: ['email'] });
    expect(html).toContain(CHANGED_UPDATES_ONLY);
    const describedBy = /<fieldset[^>]*aria-describedby="([^"]+)"/.exec(html)![1];
    expect(html).toContain(`id="${describedBy}"`);
    expect(checkbox(html, 'insert')).toContain('disabled');
    expect(checkbox(html, 'delete')).toContain('disabled');
    expect(checkbox(html, 'update')).not.toContain('disabled');
  });

  it('keeps an operation a link checked uncheckable', () => {
    const html = render({ table: ['public.customer'], changed: ['email'], operation: ['DELETE'] });
    expect(checkbox(html, 'delete')).not.toContain('disabled');
    expect(checkbox(html, 'insert')).toContain('disabled');
  });

  it('offers every operation without Changed', () => {
    const html = render({ table: ['public.customer'] });
    expect(html).not.toContain(CHANGED_UPDATES_ONLY);
    for (const op of ['insert', 'update', 'delete']) expect(checkbox(html, op)).not.toContain('disabled');
  });

  it('keeps update alone of the operations chosen when a column is chosen', () => {
    expect(withChanged({ table: ['public.customer'], operation: ['DELETE', 'UPDATE'] }, 'email')).toEqual({ table: ['public.customer'], operation: ['UPDATE'], changed: ['email'] });
    expect(withChanged({ table: ['public.customer'], operation: ['DELETE'] }, 'email').operation).toEqual([]);
    expect(withChanged({ table: ['public.customer'], operation: ['DELETE'], changed: ['email'] }, undefined)).toEqual({ table: ['public.customer'], operation: ['DELETE'], changed: undefined });
  });
});

describe('a link naming its table without the schema', () => {
  it('shows that table chosen, once, with its Changed columns', async () => {
    const { parseFeedFilters } = await import('./feed-filter-params');
    const html = render(parseFeedFilters(new URLSearchParams('table=customer')).filters);
    expect(shownTable(html)).toBe('customer');
    expect(html).not.toContain('(current selection)');
    expect(html.match(/>customer<\/option>/g)).toHaveLength(1);
    expect(html).toContain('<span>Changed</span>');
  });
});
