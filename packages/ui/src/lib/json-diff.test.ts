import { describe, expect, it } from 'vitest';
import { jsonDiff } from './json-diff';

describe('jsonDiff', () => {
  it('lists changed, added and removed paths of objects and arrays', () => {
    const old = { burrs: 'conical steel', settings: 40, colors: ['black'], legacy: true };
    const next = { burrs: 'conical ceramic', settings: 40, colors: ['black', 'white'], warranty: { years: 2 } };
    expect(jsonDiff(old, next)).toEqual([
      { kind: 'changed', path: 'burrs', old: 'conical steel', new: 'conical ceramic' },
      { kind: 'added', path: 'colors[1]', value: 'white' },
      { kind: 'removed', path: 'legacy', value: true },
      { kind: 'added', path: 'warranty', value: { years: 2 } },
    ]);
  });

  it('descends into nested objects and reports type changes at their path', () => {
    expect(jsonDiff({ a: { b: { c: 1 } }, d: [1] }, { a: { b: { c: 2 } }, d: { x: 1 } })).toEqual([
      { kind: 'changed', path: 'a.b.c', old: 1, new: 2 },
      { kind: 'changed', path: 'd', old: [1], new: { x: 1 } },
    ]);
  });

  it('finds nothing between equal values', () => {
    expect(jsonDiff({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toEqual([]);
  });
});
