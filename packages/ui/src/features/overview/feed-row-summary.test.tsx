import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DiffEvent } from '../../api/types';
import { FeedRowSummary } from './feed-row-summary';

const event = (operation: 'INSERT' | 'DELETE', changes: Record<string, unknown>): DiffEvent => ({
  eventId: '1', table: 'public.customer', recordKey: { id: 1 }, oldRecordKey: null, operation, changes, label: null, txid: '1', createdAt: '2026-11-20T10:00:00Z', context: null,
});
const text = (html: string) => html.replace(/<[^>]+>/g, '');
const row = { id: 1, name: 'Alice Martin', tier: 'standard', email: 'alice@example.com', notes: null, updated_at: '2026-11-20T10:00:00+00:00' };

describe('an insert or delete in the feed', () => {
  it('says which row was deleted, not only how many fields it had', () => {
    expect(text(renderToStaticMarkup(<FeedRowSummary event={event('DELETE', row)} />))).toBe('deleted with 6 fields: name “Alice Martin”, email “alice@example.com”');
  });

  it('summarises an insert the same way', () => {
    expect(text(renderToStaticMarkup(<FeedRowSummary event={event('INSERT', row)} />))).toBe('created with 6 fields: name “Alice Martin”, email “alice@example.com”');
  });

  it('says only the count when no field identifies the row', () => {
    expect(text(renderToStaticMarkup(<FeedRowSummary event={event('DELETE', { id: 1 })} />))).toBe('deleted with 1 field');
  });
});
