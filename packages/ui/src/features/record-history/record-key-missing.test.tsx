import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TrackedTable } from '../../api/types';
import { RecordKeyMissing } from './record-key-missing';

const customer: TrackedTable = {
  table: 'public.customer', snapshotTable: 'public.customer', primaryKey: ['id'], columns: [{ name: 'id', type: 'integer' }],
  events: 1, eventsEstimated: false, lastChangeAt: null, recording: true,
};

/** The page for `#/records/<table>` without a key, with the tracked tables in the query cache (or still loading). */
function render(table: string, tables?: TrackedTable[]): string {
  const client = new QueryClient();
  if (tables) client.setQueryData(['tables'], { tables });
  return renderToStaticMarkup(<QueryClientProvider client={client}><RecordKeyMissing table={table} /></QueryClientProvider>);
}
const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('a record link without a key', () => {
  it('says the link names a table but no key, and links to the record lookup of that table', () => {
    const html = render('public.customer', [customer]);
    expect(html).toContain('<h1 id="link-problem-title">No record key in this link</h1>');
    expect(text(html)).toContain('This link names the table public.customer but no record key');
    expect(html).toContain('<a href="#/?table=public.customer">Look up a record of customer</a>');
  });

  it('finds the table as the API does, without its public schema', () => {
    expect(render('customer', [customer])).toContain('<a href="#/?table=public.customer">Look up a record of customer</a>');
  });

  it('says a table that is not tracked is not, with no lookup of it', () => {
    const html = render('public.nope', [customer]);
    expect(text(html)).toContain('public.nope is not a table Rowtrail tracks');
    expect(html).not.toContain('Look up a record');
    expect(html).toContain('Back to the activity overview');
  });

  it('links to the lookup on the overview while the tables load', () => {
    expect(render('public.customer')).toContain('<a href="#/">Look up a record</a>');
  });
});
