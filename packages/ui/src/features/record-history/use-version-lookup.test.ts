import { describe, expect, it } from 'vitest';
import { versionInPages } from './use-version-lookup';

describe('versionInPages (history pages newest first)', () => {
  it('finds a version on the loaded pages', () => {
    expect(versionInPages('10070', ['10080', '10070', '9'], true)).toBe('found');
  });

  it('knows a version is not this record\'s once the pages went past its id, without loading the rest', () => {
    expect(versionInPages('10070', ['20000', '10071', '10069'], true)).toBe('missing');
    expect(versionInPages('10070', ['9999', '12'], true)).toBe('missing'); // older ids than the version from the first page on
  });

  it('knows it when there are no more pages', () => {
    expect(versionInPages('5', ['30', '20'], false)).toBe('missing');
  });

  it('cannot tell yet while the pages are all newer than the version', () => {
    expect(versionInPages('5', ['30', '20'], true)).toBe('unknown');
  });

  it('compares ids as integers of any size, not as text or JS numbers', () => {
    expect(versionInPages('9007199254740993', ['10000000000000000000'], true)).toBe('unknown');
    expect(versionInPages('100', ['99'], true)).toBe('missing'); // "99" > "100" as text
  });
});
