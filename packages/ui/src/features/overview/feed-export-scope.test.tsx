import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { renderToStaticMarkup as renderBare } from 'react-dom/server';
import type { TrackedTable } from '../../api/types';
import { describe, expect, it } from 'vitest';
import { formatTime } from '../../lib/format';
import { FeedExportScope } from './feed-export-scope';

const text = (html: string) => html.replace(/<[^>]+>/g, '');
/** Rendered as in the app, with the tracked tables' list (GET /api/tables) in the query cache. */
function renderToStaticMarkup(node: ReactNode, tables: Partial<TrackedTable>[] = []): string {
  const client = new QueryClient();
  client.setQueryData(['tables'], { tables });
  return renderBare(<QueryClientProvider client={client}>{node}</QueryClientProvider>);
}

describe('what the feed export says it holds', () => {
  it('lists the applied filters', () => {
    const html = renderToStaticMarkup(<FeedExportScope filters={{ table: ['public.customer'], operation: ['UPDATE', 'DELETE'], user: 'sophie.support', from: '2026-12-01T06:00:00.000Z' }} pending={false} />);
    expect(text(html)).toBe(`Exports the applied filters: table customer; operations update, delete; user sophie.support; from ${formatTime('2026-12-01T06:00:00.000Z')}.`);
  });

  it('names the export watermark a chained export starts after', () => {
    const html = renderToStaticMarkup(<FeedExportScope filters={{ table: ['public.customer'], after: '7430:7433:7431' }} pending={false} />);
    expect(text(html)).toBe('Exports the applied filters: table customer; committed after the export with watermark 7430:7433:7431.');
  });

  it('names the key columns a record key filter gives, numbers with every digit', () => {
    const html = renderToStaticMarkup(<FeedExportScope filters={{ table: ['public.article_tag'], recordKey: '{"article_id":9007199254740993}' }} pending={false} />);
    expect(text(html)).toBe('Exports the applied filters: table article_tag; key article_id 9007199254740993.');
  });

  it("names a key filter's columns in the order of the table's primary key", () => {
    const html = renderToStaticMarkup(<FeedExportScope filters={{ table: ['public.price'], recordKey: '{"code":1,"region":"eu"}' }} pending={false} />,
      [{ table: 'public.price', primaryKey: ['region', 'code'], columns: [] }]);
    expect(text(html)).toBe('Exports the applied filters: table price; key region eu, code 1.');
  });

  it('names the changed columns', () => {
    const html = renderToStaticMarkup(<FeedExportScope filters={{ table: ['public.customer'], changed: ['email', 'phone'] }} pending={false} />);
    expect(text(html)).toBe('Exports the applied filters: table customer; changed email or phone.');
  });

  it('says when nothing is filtered', () => {
    expect(text(renderToStaticMarkup(<FeedExportScope filters={{}} pending={false} />))).toBe('Exports every change (no filter applied).');
  });

  it('warns first when the form has changes that are not applied', () => {
    const html = renderToStaticMarkup(<FeedExportScope filters={{}} pending />);
    expect(text(html)).toBe('Filter changes not applied yet: press Apply to export them. Exports every change (no filter applied).');
  });
});
