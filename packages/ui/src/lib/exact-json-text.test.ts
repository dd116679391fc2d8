import { describe, expect, it } from 'vitest';
import { parseExactJson, sameJson, sameJsonText } from './exact-json';
import { jsonDiff } from './json-diff';

describe('sameJsonText', () => {
  it('is sameJson with numbers also written alike', () => {
    const [a, b] = [parseExactJson('{"n": 1.0, "k": [100]}'), parseExactJson('{"k": [100], "n": 1.00}')];
    expect(sameJson(a, b)).toBe(true);
    expect(sameJsonText(a, b)).toBe(false);
    expect(sameJsonText(parseExactJson('{"b": 1, "a": [9007199254740993]}'), parseExactJson('{"a": [9007199254740993], "b": 1}'))).toBe(true);
    expect(sameJsonText(parseExactJson('[9007199254740993]'), parseExactJson('[9007199254740992]'))).toBe(false);
  });

  it('lets jsonDiff point at a number written differently', () => {
    const [a, b] = [parseExactJson('{"n": 1.0}'), parseExactJson('{"n": 1.00}')];
    expect(jsonDiff(a, b)).toEqual([]);
    expect(jsonDiff(a, b, [], sameJsonText).map((c) => c.path)).toEqual([['n']]);
  });
});
