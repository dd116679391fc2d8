import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { renderToStaticMarkup as renderBare } from 'react-dom/server';
import type { TrackedTable } from '../api/types';
import { describe, expect, it } from 'vitest';
import { parseExactJson } from '../lib/exact-json';
import { OldKeyLink } from './old-key-link';

/** Rendered as in the app, with the tracked tables' list (GET /api/tables) in the query cache. */
function renderToStaticMarkup(node: ReactNode, tables: Partial<TrackedTable>[] = []): string {
  const client = new QueryClient();
  client.setQueryData(['tables'], { tables });
  return renderBare(<QueryClientProvider client={client}>{node}</QueryClientProvider>);
}

describe('OldKeyLink', () => {
  it('links "key changed from id 6" to the history of the old key', () => {
    const html = renderToStaticMarkup(<OldKeyLink table="public.customer" oldKey={{ id: 6 }} />);
    expect(html.replace(/<[^>]+>/g, '')).toBe('key changed from id 6');
    expect(html).toContain(`href="#/records/public.customer?key=${encodeURIComponent('{"id":6}')}"`);
  });

  it('keeps every digit of a big key in the link', () => {
    const html = renderToStaticMarkup(<OldKeyLink table="public.account" oldKey={parseExactJson('{"id":9007199254740993}') as Record<string, unknown>} />);
    expect(html).toContain(encodeURIComponent('{"id":9007199254740993}'));
  });

  it("names the key's parts in the order of the table's primary key, not the order of its JSON", () => {
    const html = renderToStaticMarkup(<OldKeyLink table="public.price" oldKey={{ code: 1, region: 'eu' }} />,
      [{ table: 'public.price', primaryKey: ['region', 'code'], columns: [] }]);
    expect(html.replace(/<[^>]+>/g, '')).toBe('key changed from region eu, code 1');
    expect(html).toContain(encodeURIComponent('{"code":1,"region":"eu"}')); // the link is the key as recorded
  });
});
