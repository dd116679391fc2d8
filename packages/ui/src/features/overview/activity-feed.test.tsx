import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { EventFilters } from '../../api/types';
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
