import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Context } from '../api/types';
import { ContextLine } from './context-line';

const context = (over: Partial<Context>): Context => ({
  id: 'c1', user: null, requestId: null, method: null, url: null, metadata: {}, dbUser: 'root', applicationName: null, createdAt: '2026-11-30T10:36:14Z', ...over,
});
/** The text a sighted reader sees (no tooltips). */
const visibleText = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('ContextLine', () => {
  it('shows the exact time of the change, with its time zone, not only "… ago" in a tooltip', () => {
    const html = renderToStaticMarkup(<ContextLine context={context({ user: 'sophie.support', requestId: 'req-1' })} at="2026-11-30T10:36:14Z" />);
    const text = visibleText(html);
    const zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(new Date('2026-11-30T10:36:14Z')).find((p) => p.type === 'timeZoneName')!.value;
    const time = new Date('2026-11-30T10:36:14Z').toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
    expect(text).toMatch(/Nov 30, 2026/);
    expect(text).toContain(time);
    // Times must say which zone they are in: the chart and the API speak UTC, the browser may not.
    expect(text).toContain(zone);
    expect(text).toMatch(/ago|yesterday|tomorrow|in \d/);
  });

  it('calls a job that set context without a user "anonymous", not a database session', () => {
    const html = renderToStaticMarkup(<ContextLine context={context({ metadata: { job: 'import-42' }, applicationName: 'psql' })} at="2026-11-30T10:36:14Z" />);
    expect(visibleText(html)).toContain('anonymous');
    expect(visibleText(html)).not.toContain('(database');
  });
});
