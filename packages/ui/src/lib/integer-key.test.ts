import { describe, expect, it } from 'vitest';
import { integerKeyProblem, integerRange } from './integer-key';

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
