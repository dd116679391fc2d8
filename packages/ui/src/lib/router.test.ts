import { describe, expect, it } from 'vitest';
import { href, parseHash } from './router';

describe('hash routes', () => {
  it('round-trips a path with repeated and encoded parameters', () => {
    const link = href('/records/public.customer', { key: '{"id":1}', compare: ['1', '2'], empty: '', none: undefined });
    expect(link).toBe('#/records/public.customer?key=%7B%22id%22%3A1%7D&compare=1&compare=2');
    const { path, params } = parseHash(link);
    expect(path).toBe('/records/public.customer');
    expect(params.get('key')).toBe('{"id":1}');
    expect(params.getAll('compare')).toEqual(['1', '2']);
  });

  it('treats an empty hash as the overview', () => {
    expect(parseHash('').path).toBe('/');
    expect(parseHash('#').path).toBe('/');
    expect(parseHash('#/?user=a').params.get('user')).toBe('a');
  });
});
