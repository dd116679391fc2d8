import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { formatTime } from '../../lib/format';
import { ActivityRange } from './activity-range';
import { chartWindow } from './activity-window';

const render = (filters: { from?: string; to?: string }) =>
  renderToStaticMarkup(<ActivityRange window={chartWindow(filters, '7d')} range="7d" onRange={() => {}} />);
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'");

describe('the activity chart\'s Range control', () => {
  it('offers the usual ranges without a time filter', () => {
    const html = render({});
    expect(html).toMatch(/<select[^>]*>/);
    expect(html).not.toMatch(/<select[^>]*disabled/);
    expect(html).toContain('<option value="7d" selected="">last 7 days</option>');
  });

  it('shows the feed\'s From–To window instead of claiming "last 7 days"', () => {
    const from = '2026-12-01T00:00:00.000Z', to = '2026-12-01T06:00:00.000Z';
    const html = render({ from, to });
    expect(html).not.toContain('<select');
    expect(html).not.toContain('last 7 days');
    expect(text(html)).toBe(`Range${formatTime(from)} – ${formatTime(to)} (the feed's time filter)`);
    expect(text(render({ from }))).toBe(`Range${formatTime(from)} – now (the feed's time filter)`);
  });

  it('says that the range ends at the To filter, not now', () => {
    const to = '2026-12-01T06:00:00.000Z';
    const html = render({ to });
    expect(html).toContain('<option value="7d" selected="">7 days</option>');
    expect(html).not.toContain('last 7 days');
    expect(text(html)).toContain(`up to ${formatTime(to)} (the feed's To filter)`);
  });
});
