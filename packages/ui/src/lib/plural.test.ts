import { describe, expect, it } from 'vitest';
import { plural } from './plural';

describe('plural', () => {
  it('uses the singular for exactly one, the plural otherwise (zero included)', () => {
    expect(plural(1, 'version')).toBe('1 version');
    expect(plural(0, 'record')).toBe('0 records');
    expect(plural(2, 'change')).toBe('2 changes');
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
  });

  it('groups the digits of large counts', () => {
    expect(plural(10_000, 'version')).toBe((10_000).toLocaleString() + ' versions');
  });
});
