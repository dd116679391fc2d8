// run(metadata) takes the metadata as it is when the context begins: what the application reads back from the
// context is what its writes record, whatever later happens to the object passed in.
import { describe, expect, it } from 'vitest';
import { createContext, currentContext, run } from './request-context.js';

describe('run(metadata)', () => {
  it('keeps a frozen copy of the metadata as encoded, not the caller\'s object', async () => {
    const metadata: { user: string | null; requestId: string; tags: string[]; at?: Date } = { user: null, requestId: 'mut', tags: ['a'] };
    await run(metadata, async () => {
      const before = currentContext()!;
      metadata.user = 'bob';
      metadata.tags.push('b');
      await Promise.resolve();
      const context = currentContext()!;
      expect(context).toBe(before);
      expect(context.metadata).toEqual({ user: null, requestId: 'mut', tags: ['a'] });
      expect(context.comment).toContain('"user":null');
      expect(Object.isFrozen(context.metadata)).toBe(true);
      expect(Object.isFrozen(context.metadata.tags)).toBe(true);
      expect(() => { (context.metadata as { user: unknown }).user = 'eve'; }).toThrow(TypeError);
    });
  });

  it('exposes values as their JSON (a Date as its ISO string), as the context comment carries them', () => {
    const at = new Date('2026-12-04T10:00:00.000Z');
    expect(createContext({ user: 'ann', at }).metadata).toEqual({ user: 'ann', at: '2026-12-04T10:00:00.000Z' });
  });
});
