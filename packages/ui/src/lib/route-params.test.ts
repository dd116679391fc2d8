import { describe, expect, it } from 'vitest';
import { isEventId, parseTime, safeDecode, toLocalInput } from './route-params';

describe('link parameter checks', () => {
  it('decodes path segments without throwing on malformed escapes', () => {
    expect(safeDecode('public.customer')).toBe('public.customer');
    expect(safeDecode('req%2F1')).toBe('req/1');
    expect(safeDecode('public.%E0%A4%A')).toBeNull();
  });

  it('accepts only event ids made of digits', () => {
    expect(isEventId('10070')).toBe(true);
    expect(['x', '', '1.5', '-1', '0', '1e3', ' 1', '123456789012345678901'].filter(isEventId)).toEqual([]);
  });

  it('reads times and refuses garbage', () => {
    expect(parseTime('2026-11-20T10:00:00.000Z')).toBe('2026-11-20T10:00:00.000Z');
    expect(parseTime('garbage')).toBeNull();
    expect(parseTime('')).toBeNull();
    expect(toLocalInput('garbage')).toBe('');
    expect(toLocalInput(undefined)).toBe('');
    expect(toLocalInput('2026-11-20T10:00:00.000Z')).toMatch(/^2026-11-2\dT\d\d:\d\d$/);
    expect(toLocalInput('2026-11-20T10:00:00.000Z', true)).toMatch(/^2026-11-2\dT\d\d:\d\d:00$/);
  });
});
