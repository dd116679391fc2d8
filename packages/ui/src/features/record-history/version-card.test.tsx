import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { HistoryEvent, TrackedTable } from '../../api/types';
import { KeyChangeBoundary } from './key-change-boundary';
import { VersionCard } from './version-card';

const customer: Partial<TrackedTable> = {
  table: 'public.customer', primaryKey: ['id'],
  columns: [{ name: 'id', type: 'integer' }, { name: 'name', type: 'text' }, { name: 'email', type: 'text' }, { name: 'tier', type: 'text' }],
};

function render(node: React.ReactNode): string {
  const client = new QueryClient();
  client.setQueryData(['tables'], { tables: [customer] });
  return renderToStaticMarkup(<QueryClientProvider client={client}>{node}</QueryClientProvider>);
}

const update: HistoryEvent = {
  eventId: '12', table: 'public.customer', recordKey: { id: 6 }, oldRecordKey: null, operation: 'UPDATE',
  // as jsonb stores the diff: shorter keys first
  changes: { tier: ['standard', 'gold'], email: ['a@example.com', 'b@example.com'], name: ['Farid', 'Farid H.'] },
  label: null, txid: '1', createdAt: '2024-05-01T12:00:00.000000Z', context: null,
  snapshot: { id: 6, tier: 'gold', email: 'b@example.com', name: 'Farid H.' },
};
const card = (props: Partial<Parameters<typeof VersionCard>[0]> = {}) => render(
  <VersionCard event={update} selected={false} expanded={false} comparing={false} onToggleExpanded={() => {}} onToggleCompare={() => {}} {...props} />,
);

describe('VersionCard', () => {
  it('names the changed fields under "Every change of" in the table\'s column order, as the diff lists them', () => {
    const html = card();
    const diff = [...html.matchAll(/data-column="([^"]+)"/g)].map((m) => m[1]);
    const links = [...html.matchAll(/aria-label="Every change of (\w+) in this record"/g)].map((m) => m[1]);
    expect(diff).toEqual(['name', 'email', 'tier']);
    expect(links).toEqual(['name', 'email', 'tier']);
  });

  it('offers no comparison with a version of another record than the one ticked', () => {
    expect(card({ otherRecord: true })).toMatch(/<input type="checkbox" class="compare-box"[^>]* disabled=""[^>]*\/> compare \(across a key change\)/);
    expect(card()).not.toContain('disabled');
  });
});

describe('KeyChangeBoundary', () => {
  it('says where the key changed away and that the versions below are of the record that left', () => {
    const moved: HistoryEvent = { ...update, eventId: '13', recordKey: { id: 60 }, recordKeyText: '{"id":60}', oldRecordKey: { id: 6 }, changes: { id: [6, 60] }, movedAway: true };
    const html = render(<KeyChangeBoundary event={moved} above={{ versions: 1, oldest: { ...update, operation: 'INSERT' } }} />);
    const text = html.replace(/<[^>]+>/g, '');
    expect(text).toContain('Above: 1 version of the record that had this key afterwards · first version reached');
    expect(text).toContain('Key changed to id 60 here (version #13,');
    expect(text).toContain('the versions below are of the record whose key changed to id 60. The versions above are of the record that had this key afterwards');
    expect(html).toContain('href="#/records/public.customer?key=%7B%22id%22%3A60%7D"');
  });
});
