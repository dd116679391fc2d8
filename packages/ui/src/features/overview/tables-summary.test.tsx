import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TrackedTable } from '../../api/types';
import { TablesSummary } from './tables-summary';

const table = (name: string, overrides: Partial<TrackedTable> = {}): TrackedTable => ({
  table: name, snapshotTable: `${name}_history`, primaryKey: ['id'], columns: [{ name: 'id', type: 'integer' }],
  events: 1234, eventsEstimated: false, lastChangeAt: null, recording: true, ...overrides,
});

function render(tables: TrackedTable[]): string {
  const client = new QueryClient();
  client.setQueryData(['tables'], { tables });
  return renderToStaticMarkup(<QueryClientProvider client={client}><TablesSummary /></QueryClientProvider>);
}

describe('TablesSummary', () => {
  it('lists a table whose history the server could not read with what it was told, and the others with their counts', () => {
    const html = render([
      table('public.account'),
      table('public.invoice', { events: null, readError: 'permission denied for table invoice_history' }),
    ]);
    const cards = html.split('<li ').slice(1);
    expect(cards[0]).toContain('1,234 <small>events</small>');
    expect(cards[1]).not.toContain('events</small>');
    expect(cards[1]).toContain('<span class="table-unreadable" role="note">History not readable by the dashboard’s database role: permission denied for table invoice_history.');
    expect(cards[1]).toContain('>invoice</a>'); // still a link to its feed
  });

  it('does not advise a grant when the history table is gone', () => {
    const html = render([table('public.invoice', { events: null, readError: 'relation "rowtrail.invoice_history" does not exist' })]);
    expect(html).toContain('History not readable: relation &quot;rowtrail.invoice_history&quot; does not exist. <code>rowtrail status</code> tells what became of its history table.');
    expect(html).not.toContain('Grant');
  });
});
