import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DiffEvent, EventFilters } from '../../api/types';
import { ActivityFeed } from './activity-feed';
import { CHANGED_UPDATES_ONLY } from './feed-filters';

/** The feed with no event matching `filters` (its first page in the query cache). */
function emptyFeed(filters: EventFilters): string {
  const client = new QueryClient();
  client.setQueryData(['events', filters], { pages: [{ events: [], nextCursor: null }], pageParams: [null] });
  return renderToStaticMarkup(<QueryClientProvider client={client}><ActivityFeed filters={filters} /></QueryClientProvider>);
}

describe('the empty feed', () => {
  it('says why Changed with insert or delete alone shows nothing', () => {
    const html = emptyFeed({ table: ['public.customer'], changed: ['email'], operation: ['DELETE'] });
    expect(html).toContain('No changes match these filters.');
    expect(html).toContain(CHANGED_UPDATES_ONLY);
  });

  it('says no more when the filters could match', () => {
    for (const filters of [{ table: ['public.customer'], changed: ['email'], operation: ['UPDATE', 'DELETE'] }, { operation: ['DELETE'] }]) {
      const html = emptyFeed(filters);
      expect(html).toContain('No changes match these filters.');
      expect(html).not.toContain(CHANGED_UPDATES_ONLY);
    }
  });
});

/** The feed with these events (its first page in the query cache), unfiltered. */
function feedOf(events: DiffEvent[]): string {
  const client = new QueryClient();
  client.setQueryData(['tables'], { tables: [] });
  client.setQueryData(['events', {}], { pages: [{ events, nextCursor: null }], pageParams: [null] });
  return renderToStaticMarkup(<QueryClientProvider client={client}><ActivityFeed filters={{}} /></QueryClientProvider>);
}
const update = (eventId: string, recordKey: Record<string, unknown>, oldRecordKey: Record<string, unknown> | null, changes: Record<string, unknown>): DiffEvent => ({
  eventId, table: 'public.customer', recordKey, oldRecordKey, operation: 'UPDATE', changes, label: null, txid: '1', createdAt: '2026-11-20T10:00:00Z', context: null,
});
const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('a key change in the feed', () => {
  it('links to the history under the old key, as the version on the record page does', () => {
    const html = feedOf([update('7', { id: 60 }, { id: 6 }, { id: [6, 60] })]);
    expect(text(html)).toContain('key changed from id 6');
    expect(html).toContain(`href="#/records/public.customer?key=${encodeURIComponent('{"id":6}')}"`);
  });

  it('says nothing of the kind for an update that kept its key', () => {
    const html = feedOf([update('8', { id: 6 }, null, { name: ['Farid Haddad', 'Farid H.'] })]);
    expect(text(html)).not.toContain('key changed');
  });
});
