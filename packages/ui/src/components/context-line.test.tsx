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

  it('names a job that set context without a user by its job, else "anonymous", never as a database session', () => {
    const html = renderToStaticMarkup(<ContextLine context={context({ metadata: { job: 'import-42' }, applicationName: 'psql' })} at="2026-11-30T10:36:14Z" />);
    expect(visibleText(html)).toContain('job import-42');
    expect(visibleText(html)).not.toContain('(database');
    const unnamed = renderToStaticMarkup(<ContextLine context={context({ metadata: { tenant: 'acme' }, applicationName: 'psql' })} at="2026-11-30T10:36:14Z" />);
    expect(visibleText(unnamed)).toContain('anonymous');
    expect(visibleText(unnamed)).not.toContain('(database');
  });

  it('links a write without application context to the feed of that database user\'s such writes; a job stays text', () => {
    const who = (c: Context) => /<(a|span) class="who"(?: href="([^"]*)")? title="([^"]*)">/.exec(renderToStaticMarkup(<ContextLine context={c} at="2026-11-30T10:36:14Z" />));
    const psql = who(context({ dbUser: 'ops admin', applicationName: 'psql' }));
    expect(psql?.[1]).toBe('a');
    expect(psql?.[2]).toBe('#/?dbUser=ops+admin');
    expect(psql?.[3]).toBe('All changes made without application context by database role ops admin');
    expect(who(context({ metadata: { job: 'import-42' } }))?.[1]).toBe('span'); // the dbUser filter does not select a job's writes
  });

  it('marks an empty user name, with no link (the feed cannot filter by an empty user)', () => {
    const html = renderToStaticMarkup(<ContextLine context={context({ user: '', requestId: 'req-1', metadata: { user: '', requestId: 'req-1' } })} at="2026-11-30T10:36:14Z" />);
    const who = /<(a|span) class="who"[^>]*>(.*?)<\/\1><span class="when">/.exec(html);
    expect(who?.[1]).toBe('span');
    expect(who?.[2]).toContain('value-empty value-marker');
    expect(visibleText(who![2])).toBe('empty empty user name');
    expect(html).not.toContain('title="All changes by "');
    expect(html).not.toContain('href="#/"');
    // whitespace only: its spaces marked, as a value's are
    const spaces = renderToStaticMarkup(<ContextLine context={context({ user: '  ', metadata: { user: '  ' } })} at="2026-11-30T10:36:14Z" />);
    expect(spaces).toMatch(/<span class="who"[^>]*>.*aria-label="space".*aria-label="space"/);
    expect(spaces).not.toContain('All changes by');
    // a user named 0 is a user, linked
    expect(renderToStaticMarkup(<ContextLine context={context({ user: 0 as unknown as string })} at="2026-11-30T10:36:14Z" />)).toContain('href="#/?user=0"');
  });

  describe('links to the page of its context, saying what that page is', () => {
    /** The link's text as a screen reader reads it (visually hidden text included) and its tooltip. */
    const link = (c: Context) => {
      const html = renderToStaticMarkup(<ContextLine context={c} at="2026-11-30T10:36:14Z" />);
      const a = /<a class="request-link" href="([^"]*)" title="([^"]*)">(.*?)<\/a>/.exec(html);
      expect(a).not.toBeNull();
      return { href: a![1], title: a![2], name: visibleText(a![3]) };
    };

    it('a request: its id, titled as the request page', () => {
      expect(link(context({ user: 'sophie.support', requestId: 'req-2041', metadata: { requestId: 'req-2041' } })))
        .toEqual({ href: '#/requests/c1', title: 'Request req-2041', name: 'req-2041' });
    });

    it('a write without application context (psql): a transaction without application context', () => {
      const psql = link(context({ applicationName: 'psql' }));
      expect(psql.title).toBe('Transaction without application context');
      expect(psql.name).toBe('transaction without application context');
    });

    it('a job (application context without a request id): the context, as its page "Changes made in context <id>"', () => {
      const job = link(context({ id: '0199aa00-0000-7000-8000-000000000001', user: 'importer', metadata: { job: 'import-42' } }));
      expect(job.title).toBe('Changes made in context 0199aa00-0000-7000-8000-000000000001');
      expect(job.name).toBe('context 0199aa00-0000-7000-8000-000000000001');
      expect(job.name).not.toMatch(/transaction/);
    });
  });
});
