import { describe, expect, it, vi } from 'vitest';
import { integerKeyProblem, integerRange } from './integer-key';
import { countRegexWork, mayRetryAtEveryPlace } from './regex-work.test-support';

describe('integer keys', () => {
  it('knows the range of each integer type, by any of its names', () => {
    expect(integerRange('smallint')).toEqual({ min: -32768n, max: 32767n });
    expect(integerRange('INTEGER')).toEqual({ min: -2147483648n, max: 2147483647n });
    expect(integerRange('serial')).toEqual(integerRange('int4'));
    expect(integerRange('bigint')).toEqual({ min: -9223372036854775808n, max: 9223372036854775807n });
    expect(integerRange('numeric(10,0)')).toBeNull();
    expect(integerRange('text')).toBeNull();
  });

  it('explains a number that cannot be the column\'s: not whole, or out of range', () => {
    expect(integerKeyProblem('id', 'integer', '1.5')).toBe('id is a whole number (integer): 1.5 is not one.');
    expect(integerKeyProblem('id', 'integer', '99999999999')).toBe('id is integer, from -2147483648 to 2147483647: 99999999999 is out of its range.');
    expect(integerKeyProblem('id', 'bigint', '99999999999')).toBeNull();
    expect(integerKeyProblem('id', 'integer', '-2147483648')).toBeNull();
    expect(integerKeyProblem('id', 'integer', '1.0')).toBeNull(); // the number 1, as jsonb compares it
    expect(integerKeyProblem('id', 'integer', '1e3')).toBeNull();
    expect(integerKeyProblem('price', 'numeric', '1.5')).toBeNull(); // not an integer column: not its concern
  });
});

describe('integer keys, decided from the digits (no rounding through a JS number)', () => {
  it('takes a whole number written with a fraction of zeros or an exponent, at any size', () => {
    expect(integerKeyProblem('id', 'bigint', '9223372036854775807.0')).toBeNull();
    expect(integerKeyProblem('id', 'bigint', '9007199254740993.0')).toBeNull();
    expect(integerKeyProblem('id', 'bigint', '92233720368547758e2')).toBeNull(); // 9223372036854775800
    expect(integerKeyProblem('id', 'bigint', '-9223372036854775808.000')).toBeNull();
    expect(integerKeyProblem('id', 'integer', '-0')).toBeNull();
    expect(integerKeyProblem('id', 'integer', '00012')).toBeNull();
    expect(integerKeyProblem('id', 'integer', '0.0e-400')).toBeNull();
    expect(integerKeyProblem('id', 'integer', '1500e-2')).toBeNull(); // 15
  });

  it('refuses a fraction however small, and says a huge number is out of range (not "not whole")', () => {
    expect(integerKeyProblem('id', 'integer', '2147483647.0000000001')).toBe('id is a whole number (integer): 2147483647.0000000001 is not one.');
    expect(integerKeyProblem('id', 'integer', '1e-400')).toMatch(/1e-400 is not one/);
    expect(integerKeyProblem('id', 'integer', '15e-1')).toMatch(/is not one/);
    expect(integerKeyProblem('id', 'integer', '1e400')).toBe('id is integer, from -2147483648 to 2147483647: 1e400 is out of its range.');
    expect(integerKeyProblem('id', 'integer', '1.5e400')).toMatch(/out of its range/);
    expect(integerKeyProblem('id', 'bigint', '9223372036854775808.0')).toMatch(/out of its range/);
    expect(integerKeyProblem('id', 'bigint', '92233720368547759e2')).toMatch(/out of its range/);
    expect(integerKeyProblem('id', 'integer', `1e${'9'.repeat(400)}`)).toMatch(/out of its range/); // no BigInt of 10^huge
    expect(integerKeyProblem('id', 'integer', `1e-${'9'.repeat(400)}`)).toMatch(/is not one/);
    expect(integerKeyProblem('id', 'integer', 'abc')).toMatch(/is not one/);
  });
});

describe('integer keys of many digits', () => {
  // Decided in one pass over them (a link may hold any text): /0+$/ would retry at every zero of a long run, and a BigInt
  // of every digit would be as long as the text. Counted, not timed.
  it('are decided in work linear in their number, turning at most a bigint\'s digits into a BigInt', () => {
    const zeros = '0'.repeat(200_000);
    const bigints = vi.spyOn(globalThis, 'BigInt');
    try {
      for (const [text, problem] of [[`1${zeros}1`, /out of its range/], [`1.${zeros}1`, /is not one/], [`${zeros}12.${zeros}`, null]] as const) {
        const work = countRegexWork(() => integerKeyProblem('id', 'integer', text));
        if (problem) expect(work.result).toMatch(problem);
        else expect(work.result).toBeNull();
        expect(work.overLongText.filter(mayRetryAtEveryPlace)).toEqual([]);
        expect(work.runs).toBeLessThanOrEqual(4); // the number's shape and the type's name: not one run per digit
      }
      expect(bigints.mock.calls.map(([value]) => String(value).length).filter((digits) => digits > 21)).toEqual([]); // 2^63 has 19
    } finally {
      bigints.mockRestore();
    }
  });
});
