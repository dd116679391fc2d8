import { describe, expect, it } from 'vitest';
import { RowtrailContextError } from './context-comment.js';
import { createLiveContext, currentContext, run } from './request-context.js';

describe('createLiveContext', () => {
  it('reads its metadata at each use, keeping its id, and encodes the comment again only when the metadata changed', () => {
    const request: { user?: string } = {};
    let reads = 0;
    const context = createLiveContext(() => { reads++; return { user: request.user ?? null, url: '/orders' }; });
    expect(context.comment).toBe(`/*rowtrail:{"id":"${context.id}","m":{"user":null,"url":"/orders"}}*/`);
    const before = context.metadata;
    expect(context.metadata).toBe(before); // unchanged metadata: the encoding made before is kept, not made again
    request.user = 'carol'; // set by an authentication middleware after the context began
    expect(context.metadata).toEqual({ user: 'carol', url: '/orders' });
    expect(context.comment).toBe(`/*rowtrail:{"id":"${context.id}","m":{"user":"carol","url":"/orders"}}*/`);
    expect(reads).toBe(6); // once when made, then at each use
    // run() takes it as a context, not as metadata
    run(context, () => expect(currentContext()).toBe(context));
  });

  it('refuses metadata that cannot travel when made, and at the statement whose metadata became so', () => {
    expect(() => createLiveContext(() => ({ note: 'a\u0000b' }))).toThrow(RowtrailContextError);
    const request = { blob: '' };
    const context = createLiveContext(() => ({ blob: request.blob }));
    request.blob = 'x'.repeat(9000);
    expect(() => context.comment).toThrow(/limit is 8192 bytes/);
  });

  it('refuses metadata that JSON cannot serialise (a bigint, a cycle) with RowtrailContextError, as run() does', () => {
    expect(() => run({ n: 1n }, () => undefined)).toThrow(RowtrailContextError);
    expect(() => createLiveContext(() => ({ n: 1n }))).toThrow(RowtrailContextError);
    expect(() => createLiveContext(() => ({ n: 1n }))).toThrow(/^Rowtrail: the request context is not JSON-serialisable: .*BigInt/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => createLiveContext(() => ({ cyclic }))).toThrow(RowtrailContextError);
    // and at the statement whose metadata became so
    const request: { n?: bigint } = {};
    const context = createLiveContext(() => ({ n: request.n ?? null }));
    request.n = 2n;
    expect(() => context.comment).toThrow(RowtrailContextError);
  });
});
