import { describe, expect, it } from 'vitest';
import { keyKind, lookupKey, type KeyColumn } from './record-lookup-key';

// A json or jsonb key column holds any JSON value (an object, an array): the lookup form takes the value as JSON, not as
// a string of that text, which the server would compare with the column's JSON and never find.
const column = (name: string, type: string): KeyColumn => ({ name, type, kind: keyKind(type) });

describe('lookupKey for a jsonb key column', () => {
  it('sends the typed JSON as the key\'s value', () => {
    expect(['jsonb', 'json'].map(keyKind)).toEqual(['json', 'json']);
    expect(lookupKey([column('k', 'jsonb')], { k: ' {"a": [1, 2]} ' })).toEqual({ key: '{"k":{"a": [1, 2]}}' });
    expect(lookupKey([column('k', 'jsonb')], { k: '"plain"' })).toEqual({ key: '{"k":"plain"}' });
    expect(lookupKey([column('k', 'jsonb')], { k: '9007199254740993' })).toEqual({ key: '{"k":9007199254740993}' });
  });

  it('refuses text that is no JSON, naming the column', () => {
    expect(lookupKey([column('k', 'jsonb')], { k: '{a: 1}' }).errors?.k).toMatch(/^k is JSON \(jsonb\)/);
    expect(lookupKey([column('k', 'jsonb')], { k: 'plain' }).errors?.k).toMatch(/in quotes/);
  });
});
