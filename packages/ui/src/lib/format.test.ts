import { describe, expect, it } from 'vitest';
import type { Context } from '../api/types';
import { formatKey, formatValue, formatWho, hasApplicationContext, shortTable } from './format';

const context = (over: Partial<Context>): Context => ({
  id: 'c', user: null, requestId: null, method: null, url: null, metadata: {}, dbUser: 'root', applicationName: null, createdAt: '2026-01-01T00:00:00Z', ...over,
});

describe('formatting', () => {
  it('names who made a change: the user, an anonymous request, or the database session', () => {
    expect(formatWho(context({ user: 'sophie.support', requestId: 'r' }))).toBe('sophie.support');
    expect(formatWho(context({ user: 42 }))).toBe('42');
    expect(formatWho(context({ requestId: 'req-1' }))).toBe('anonymous');
    expect(formatWho(context({ applicationName: 'psql' }))).toBe('root (database, psql)');
    expect(formatWho(null)).toBe('unknown');
  });

  it('treats any application context as one, even without a user or request id (a job: run({ job }, …))', () => {
    const job = context({ metadata: { job: 'import-42' }, applicationName: 'psql' });
    expect(formatWho(job)).toBe('job import-42'); // not "anonymous": the job is who
    expect(formatWho(context({ metadata: { task: 'x' } }))).toBe('anonymous');
    expect(hasApplicationContext(job)).toBe(true);
    expect(hasApplicationContext(context({ applicationName: 'psql' }))).toBe(false);
    expect(hasApplicationContext(context({ requestId: 'req-1' }))).toBe(true);
  });

  it('formats keys, values and table names', () => {
    expect(formatKey({ id: 5 })).toBe('id 5');
    expect(formatKey({ tenant: 'acme', id: 5 })).toBe('tenant acme, id 5');
    expect(formatValue('text')).toBe('text');
    expect(formatValue({ a: [1] })).toBe('{"a":[1]}');
    expect(formatValue(null)).toBe('null');
    expect(shortTable('public.customer')).toBe('customer');
    expect(shortTable('billing.invoice')).toBe('billing.invoice');
  });
});
