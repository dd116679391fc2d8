import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../api/types';
import { contextTitle } from '../../lib/format';
import { ContextFacts, requestPageTitle, RequestTitle } from './request-changes';

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
