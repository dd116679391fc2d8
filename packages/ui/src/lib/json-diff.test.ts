import { describe, expect, it } from 'vitest';
import { parseExactJson } from './exact-json';
import { formatPath, jsonDiff, type JsonChange } from './json-diff';

const readable = (changes: JsonChange[]) => changes.map((c) => ({ ...c, path: formatPath(c.path) }));

describe('jsonDiff', () => {
  it('lists changed, added and removed paths of objects and arrays', () => {
    const old = { burrs: 'conical steel', settings: 40, colors: ['black'], legacy: true };
    const next = { burrs: 'conical ceramic', settings: 40, colors: ['black', 'white'], warranty: { years: 2 } };
    expect(jsonDiff(old, next)).toEqual([
      { kind: 'changed', path: ['burrs'], old: 'conical steel', new: 'conical ceramic' },
      { kind: 'added', path: ['colors', 1], value: 'white' },
      { kind: 'removed', path: ['legacy'], value: true },
      { kind: 'added', path: ['warranty'], value: { years: 2 } },
    ]);
  });

  it('descends into nested objects and reports type changes at their path', () => {
    expect(readable(jsonDiff({ a: { b: { c: 1 } }, d: [1] }, { a: { b: { c: 2 } }, d: { x: 1 } }))).toEqual([
      { kind: 'changed', path: 'a.b.c', old: 1, new: 2 },
      { kind: 'changed', path: 'd', old: [1], new: { x: 1 } },
    ]);
  });

  it('finds nothing between equal values', () => {
    expect(jsonDiff({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toEqual([]);
  });

  it('treats keys named like Object.prototype members as ordinary keys', () => {
    const old = parseExactJson('{"a":1}');
    const next = parseExactJson('{"a":1,"constructor":"x","toString":2,"valueOf":3,"__proto__":4}');
    expect(readable(jsonDiff(old, next))).toEqual([
      { kind: 'added', path: 'constructor', value: 'x' },
      { kind: 'added', path: 'toString', value: 2 },
      { kind: 'added', path: 'valueOf', value: 3 },
      { kind: 'added', path: '__proto__', value: 4 },
    ]);
    expect(readable(jsonDiff(parseExactJson('{"valueOf":1}'), parseExactJson('{}')))).toEqual([{ kind: 'removed', path: 'valueOf', value: 1 }]);
    expect(readable(jsonDiff(parseExactJson('{"hasOwnProperty":1}'), parseExactJson('{"hasOwnProperty":2}'))))
      .toEqual([{ kind: 'changed', path: 'hasOwnProperty', old: 1, new: 2 }]);
  });

  it('gives keys with dots, digits or spaces paths of their own', () => {
    const changes = jsonDiff(parseExactJson('{"a.b":1,"a":{"b":1},"0":[1],"":1,"x y":1}'), parseExactJson('{"a.b":2,"a":{"b":2},"0":[2],"":2,"x y":2}'));
    expect(changes.map((c) => c.path)).toEqual([['0', 0], ['a.b'], ['a', 'b'], [''], ['x y']]);
    const shown = changes.map((c) => formatPath(c.path));
    expect(shown).toEqual(['["0"][0]', '["a.b"]', 'a.b', '[""]', '["x y"]']);
    expect(new Set(shown).size).toBe(shown.length);
    expect(formatPath([])).toBe('(value)');
    expect(formatPath(['items', 0, 'sku'])).toBe('items[0].sku');
  });

  it('compares big integers and precise decimals by their exact value', () => {
    const changes = jsonDiff(parseExactJson('{"n":9007199254740993,"r":0.1000000000000000001,"same":12345678901234567891}'),
      parseExactJson('{"n":9007199254740992,"r":0.1000000000000000002,"same":12345678901234567891}'));
    expect(changes.map((c) => [formatPath(c.path), c.kind === 'changed' && String(c.old), c.kind === 'changed' && String(c.new)])).toEqual([
      ['n', '9007199254740993', '9007199254740992'],
      ['r', '0.1000000000000000001', '0.1000000000000000002'],
    ]);
  });

  it('sees no change between numbers of equal value written differently, as jsonb does', () => {
    expect(jsonDiff(parseExactJson('{"price":24.90,"n":[1.0]}'), parseExactJson('{"price":24.9,"n":[1]}'))).toEqual([]);
  });
});
