import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ContextPage } from '../../api/get-context';
import type { Context, DiffEvent } from '../../api/types';
import { contextTitle, formatAgo, formatTime } from '../../lib/format';
import { changesSpanTime } from './change-times';
import { ContextFacts, RequestChanges, requestPageTitle, RequestTitle } from './request-changes';

const context = (over: Partial<Context>): Context => ({
  id: '55555555-5555-4555-8555-555555555555', user: null, requestId: null, method: null, url: null, metadata: {}, dbUser: 'root',
  applicationName: 'worker', createdAt: '2026-11-30T10:36:14Z', ...over,
});
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/\s+/g, ' ').trim();

describe('request page header', () => {
  it('does not call a job run with context (no user, no request id) a transaction without application context', () => {
    const job = context({ metadata: { job: 'import-42', source: 'nightly.csv' } });
    const title = text(renderToStaticMarkup(<RequestTitle context={job} />));
    const facts = text(renderToStaticMarkup(<ContextFacts context={job} />));
    expect(title).not.toMatch(/without application context/);
    expect(facts).not.toMatch(/without application context/);
    expect(facts).not.toMatch(/root \(database/);
    expect(facts).toContain('"job":"import-42"');
  });

  it('still names writes made without any context (psql) as such', () => {
    const psql = context({ applicationName: 'psql' });
    expect(text(renderToStaticMarkup(<RequestTitle context={psql} />))).toBe('Transaction without application context');
    expect(text(renderToStaticMarkup(<ContextFacts context={psql} />))).toContain('root (database, psql)');
  });

  it('shows an empty user name as the empty marker after "User", not as nothing', () => {
    const facts = renderToStaticMarkup(<ContextFacts context={context({ user: '', requestId: 'req-1', metadata: { user: '', requestId: 'req-1' } })} />);
    const user = /<dt>User<\/dt><dd>(.*?)<\/dd>/.exec(facts)![1];
    expect(user).toContain('value-empty value-marker');
    expect(text(user)).toBe('empty empty user name'); // shown "empty", read out "empty user name"
  });

  it('titles a request by its id', () => {
    expect(text(renderToStaticMarkup(<RequestTitle context={context({ requestId: 'req-2041', user: 'sophie' })} />))).toBe('Request req-2041');
  });

  it('says the same as the links to it (lib/format contextTitle), for a request, a job and a psql transaction', () => {
    for (const c of [context({ requestId: 'req-2041', user: 'sophie' }), context({ metadata: { job: 'import-42' } }), context({ applicationName: 'psql' })]) {
      expect(text(renderToStaticMarkup(<RequestTitle context={c} />))).toBe(contextTitle(c));
    }
  });
});

describe('request page title', () => {
  it('is the heading once the request is loaded, not the context id of the URL', () => {
    const c = context({ requestId: 'req-bulk-1', user: 'sophie' });
    expect(requestPageTitle(c.id, c)).toBe('Request req-bulk-1');
    const job = context({ metadata: { job: 'import-42' } });
    expect(requestPageTitle(job.id, job)).toBe(`Changes made in context ${job.id}`);
    expect(requestPageTitle(c.id, undefined, true)).toBe('Request not found');
  });
});

describe('the time of each change', () => {
  const change = (eventId: string, createdAt: string): DiffEvent => ({
    eventId, table: 'public.product', recordKey: { id: 7 }, oldRecordKey: null, operation: 'UPDATE', changes: { stock: [300, 301] },
    label: null, txid: '1', createdAt, context: null,
  });
  /** The request page of `c` with `events` loaded (one page, nothing more to load). */
  const page = (c: Context, events: DiffEvent[]) => {
    const client = new QueryClient();
    client.setQueryData(['tables'], { tables: [{ table: 'public.product', primaryKey: ['id'], columns: [{ name: 'id', type: 'integer' }, { name: 'stock', type: 'integer' }] }] });
    client.setQueryData<{ pages: ContextPage[]; pageParams: (string | null)[] }>(['context', c.id], { pages: [{ context: c, events, nextCursor: null }], pageParams: [null] });
    return renderToStaticMarkup(<QueryClientProvider client={client}><RequestChanges contextId={c.id} /></QueryClientProvider>);
  };
  const changeTimes = (html: string) => html.split('class="request-event"').slice(1).map((part) => /<time dateTime="([^"]+)">([^<]*)<\/time>/.exec(part.split('class="changes"')[0])?.slice(1) ?? null);

  it('shows on each change of a job spanning days when it was made (in the reader\'s zone, and how long ago), not only the job\'s start', () => {
    const job = context({ user: 'inventory-scanner', requestId: 'job-inventory-sync', createdAt: '2026-11-20T09:00:00.000000+00:00' });
    const times = ['2026-11-20T09:00:00.000000+00:00', '2026-11-24T13:21:00.000000+00:00', '2026-11-28T08:59:00.000000+00:00'];
    const html = page(job, times.map((at, i) => change(String(10 + i), at)));
    expect(changeTimes(html)).toEqual(times.map((at) => [at, formatTime(at)]));
    for (const at of times) expect(text(html)).toContain(`${formatTime(at)} (${formatAgo(at)})`);
    expect(text(html)).toMatch(/When .* \(its start: each change below shows its own time\)/);
  });

  it('leaves them out when every change was made in the request\'s second: its "When" says it', () => {
    const request = context({ user: 'marc.catalog', requestId: 'req-3001', createdAt: '2026-11-30T10:36:14.120000+00:00' });
    const html = page(request, [change('20', '2026-11-30T10:36:14.128000+00:00'), change('21', '2026-11-30T10:36:14.912000+00:00')]);
    expect(changeTimes(html)).toEqual([null, null]);
    expect(text(html)).not.toContain('its own time');
  });

  it('counts a change made after the request\'s second, even a single one, as a time of its own', () => {
    expect(changesSpanTime('2026-11-30T10:36:14.999Z', [{ createdAt: '2026-11-30T10:36:14.999Z' }, { createdAt: '2026-11-30T10:36:15.001Z' }])).toBe(true);
    expect(changesSpanTime('2026-11-30T10:36:14.000001Z', [{ createdAt: '2026-11-30T10:36:14.999999Z' }])).toBe(false);
    expect(changesSpanTime('2026-11-30T10:36:14Z', [])).toBe(false);
  });
});
