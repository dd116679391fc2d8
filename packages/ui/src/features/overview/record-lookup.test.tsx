import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TrackedTable } from '../../api/types';
import { RecordLookup } from './record-lookup';

const table = (name: string, primaryKey: string[], columns: [string, string][]): TrackedTable => ({
  table: name, snapshotTable: name, primaryKey, columns: columns.map(([n, type]) => ({ name: n, type })), events: 1, eventsEstimated: false, lastChangeAt: null, recording: true,
});
const TABLES = [
  table('public.customer', ['id'], [['id', 'integer'], ['name', 'text']]),
  table('billing.line', ['invoice_id', 'line_no'], [['invoice_id', 'uuid'], ['line_no', 'smallint']]),
];

function render(tables: TrackedTable[] | undefined, defaultTable?: string): string {
  const client = new QueryClient();
  if (tables) client.setQueryData(['tables'], { tables });
  return renderToStaticMarkup(<QueryClientProvider client={client}><RecordLookup defaultTable={defaultTable} /></QueryClientProvider>);
}
const labels = (html: string) => [...html.matchAll(/<label[^>]*>([^<]*)<\/label>/g)].map((m) => m[1]);

describe('RecordLookup', () => {
  it('is a form named by its heading, with a labelled table picker and one labelled field per key column', () => {
    const html = render(TABLES);
    const title = /<h2 id="([^"]+)">Look up a record<\/h2>/.exec(html)![1];
    expect(html).toContain(`<form class="filters lookup-form" noValidate="" aria-labelledby="${title}">`);
    expect(labels(html)).toEqual(['Table', 'id']);
    expect(html).toMatch(/<option value="public.customer" selected="">customer<\/option><option value="billing.line">billing.line<\/option>/);
    expect(html).toContain('<button type="submit">Open record</button>');
  });

  it('says each column’s type in the field’s description, and asks for digits on a phone for a number', () => {
    const html = render(TABLES);
    const input = /<input [^>]*name="id"[^>]*>/.exec(html)![0];
    const describedBy = /aria-describedby="([^"]+)"/.exec(input)![1];
    expect(html).toContain(`<span id="${describedBy}" class="field-hint">integer</span>`);
    expect(input).toContain('inputMode="numeric"');
  });

  it('starts with the table the feed is filtered by, with its composite key', () => {
    const html = render(TABLES, 'billing.line');
    expect(labels(html)).toEqual(['Table', 'invoice_id', 'line_no']);
    expect(html).toContain('key: invoice_id, line_no');
  });

  it('shows nothing while the tables load or when none is tracked (the tracked-tables panel says so)', () => {
    expect(render(undefined)).toBe('');
    expect(render([])).toBe('');
  });
});
