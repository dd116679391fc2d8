import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TrackedTable } from '../api/types';
import { EventChanges } from './event-changes';
import { SnapshotView } from './snapshot-view';

const price: Partial<TrackedTable> = {
  table: 'public.price', primaryKey: ['region', 'code'],
  columns: [{ name: 'region', type: 'text' }, { name: 'code', type: 'integer' }, { name: 'amount', type: 'numeric' }, { name: 'valid_from', type: 'date' },
    { name: 'tags', type: 'text[]' }, { name: 'attributes', type: 'jsonb' }],
};

function render(node: React.ReactNode, tables: Partial<TrackedTable>[] = [price]): string {
  const client = new QueryClient();
  client.setQueryData(['tables'], { tables });
  return renderToStaticMarkup(<QueryClientProvider client={client}>{node}</QueryClientProvider>);
}
const columnsOf = (html: string) => [...html.matchAll(/data-column="([^"]+)"/g)].map((m) => m[1]);

// as jsonb stores a row: shorter keys first, then by bytes
const row = { code: 1, amount: 9.5, region: 'eu', old_note: 'x', valid_from: '2026-12-04' };

describe('column order of a row', () => {
  it('lists a snapshot in the table\'s column order, not jsonb\'s; columns the table no longer lists go after', () => {
    expect(columnsOf(render(<SnapshotView table="public.price" snapshot={row} />))).toEqual(['region', 'code', 'amount', 'valid_from', 'old_note']);
  });

  it('finds the table when the link names it without its schema', () => {
    expect(columnsOf(render(<SnapshotView table="price" snapshot={row} />))).toEqual(['region', 'code', 'amount', 'valid_from', 'old_note']);
  });

  it('keeps the row\'s own order for a table the list does not hold', () => {
    expect(columnsOf(render(<SnapshotView table="public.nope" snapshot={row} />))).toEqual(Object.keys(row));
  });

  it('lists an inserted row and an update\'s fields in the table\'s column order', () => {
    expect(columnsOf(render(<EventChanges event={{ table: 'public.price', operation: 'INSERT', changes: row }} />)))
      .toEqual(['region', 'code', 'amount', 'valid_from', 'old_note']);
    expect(columnsOf(render(<EventChanges event={{ table: 'public.price', operation: 'UPDATE', changes: { amount: [1, 2], region: ['eu', 'us'] } }} />)))
      .toEqual(['region', 'amount']);
  });
});

describe("nulls inside a snapshot's and an inserted row's values", () => {
  const values = { tags: ['null', null, 'NULL'], attributes: { k: null } };
  const shown = (html: string, column: string) => {
    const cell = new RegExp(`data-column="${column}"[\\s\\S]*?(?=data-column=|$)`).exec(html)![0];
    return cell.replace(/<span class="sr-only">[^<]*<\/span>/g, '').replace(/<[^>]+>/g, '').replace(/<[^>]*$/, '').replace(/&quot;/g, '"').replace(/^.*?(?=[[{])/, '');
  };
  it('shows a null inside an array as NULL and inside a jsonb value as JSON null, as the diff does', () => {
    for (const html of [render(<SnapshotView table="public.price" snapshot={values} />),
      render(<EventChanges event={{ table: 'public.price', operation: 'INSERT', changes: values }} />)]) {
      expect(shown(html, 'tags')).toBe('["null",NULL,"NULL"]');
      expect(shown(html, 'attributes')).toBe('{"k":JSON null}');
    }
  });
});
