import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiGet } from './api-client';
import { isExactNumber, parseExactJson, sameJson, stringifyExactJson } from './exact-json';
import { formatKey, formatValue } from './format';
import { recordHref } from './links';

const WIRE = '{"changes":{"balance":[9007199254740993,9007199254740992],"rate":[0.1000000000000000001,0.1000000000000000002],'
  + '"data":[{"n":1},{"n":12345678901234567891,"valueOf":1}],"price":[24.90,26.89],"stock":[37,-0.5]},'
  + '"recordKey":{"id":9007199254740993},"count":3}';

afterEach(() => vi.unstubAllGlobals());

describe('exact JSON', () => {
  it('keeps every digit of numbers a JS number cannot hold as written, and plain numbers as numbers', () => {
    const value = parseExactJson(WIRE) as { changes: Record<string, unknown[]>; count: number };
    expect(value.count).toBe(3);
    expect(value.changes.stock).toEqual([37, -0.5]);
    expect(value.changes.balance.map(formatValue)).toEqual(['9007199254740993', '9007199254740992']);
    expect(value.changes.rate.map(formatValue)).toEqual(['0.1000000000000000001', '0.1000000000000000002']);
    expect(value.changes.data.map(formatValue)).toEqual(['{"n":1}', '{"n":12345678901234567891,"valueOf":1}']);
    expect(value.changes.price.map(formatValue)).toEqual(['24.90', '26.89']);
    expect(isExactNumber(value.changes.balance[0])).toBe(true);
    expect(stringifyExactJson(value)).toBe(WIRE);
  });

  it('reads what JSON.parse reads: duplicate keys (last wins), __proto__ as an own key, strings untouched', () => {
    expect(parseExactJson('{"a":1,"a":2}')).toEqual({ a: 2 });
    const proto = parseExactJson('{"__proto__":{"x":1}}') as Record<string, unknown>;
    expect(Object.hasOwn(proto, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(parseExactJson('["9007199254740993", null, true]')).toEqual(['9007199254740993', null, true]);
  });

  it('compares numbers by exact value', () => {
    expect(sameJson(parseExactJson('9007199254740993'), parseExactJson('9007199254740992'))).toBe(false);
    expect(sameJson(parseExactJson('[24.90]'), parseExactJson('[24.9]'))).toBe(true);
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameJson({ a: undefined }, { b: undefined })).toBe(false);
  });

  it('formats keys and builds links with every digit', () => {
    const key = parseExactJson('{"id":9007199254740993}') as Record<string, unknown>;
    expect(formatKey(key)).toBe('id 9007199254740993');
    expect(decodeURIComponent(recordHref('public.ledger', key))).toContain('key={"id":9007199254740993}');
  });

  it('apiGet parses the API answer without rounding (response.json() would not)', async () => {
    vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
    vi.stubGlobal('fetch', vi.fn(async () => new Response(WIRE, { status: 200, headers: { 'Content-Type': 'application/json' } })));
    const answer = await apiGet<{ changes: Record<string, [unknown, unknown]> }>('/api/history');
    expect(answer.changes.balance.map(formatValue)).toEqual(['9007199254740993', '9007199254740992']);
    expect(answer.changes.rate.map(formatValue)).toEqual(['0.1000000000000000001', '0.1000000000000000002']);
    expect(formatValue(answer.changes.data[1])).toBe('{"n":12345678901234567891,"valueOf":1}');
    expect(sameJson(answer.changes.balance[0], answer.changes.balance[1])).toBe(false);
  });

  it('parses JSON nested deeper than lossless-json can recurse, as jsonb allows', () => {
    const depth = 6000; // lossless-json overflows at about 4,800 levels in Node
    let value = parseExactJson(`${'['.repeat(depth)}1${']'.repeat(depth)}`);
    for (let level = 0; level < depth; level++) value = (value as unknown[])[0];
    expect(value).toBe(1);
  });
});
