import { describe, expect, it } from 'vitest';
import { createLinkSigner, LINK_TTL_SECONDS } from './signed-export-link.js';

describe('createLinkSigner', () => {
  it('accepts its own links until they expire, in any parameter order', () => {
    const signer = createLinkSigner('secret');
    const now = Date.UTC(2024, 4, 1);
    const { query } = signer.sign(new URLSearchParams('table=a&user=b&table=c'), '/history', now);
    expect(signer.check(query, '/history', now)).toBe('valid');
    expect(signer.check(new URLSearchParams([...query].reverse()), '/history', now)).toBe('valid');
    expect(signer.check(query, '/history', now + LINK_TTL_SECONDS * 1000 + 1000)).toBe('expired');
    expect(signer.check(new URLSearchParams('table=a'), '/history', now)).toBe('absent');
  });

  it('refuses links changed after signing or signed by another secret', () => {
    const now = Date.now();
    const { query } = createLinkSigner('one').sign(new URLSearchParams('table=a'), '', now);
    expect(createLinkSigner('two').check(query, '', now)).toBe('invalid');
    const signer = createLinkSigner('one');
    for (const change of [(q: URLSearchParams) => q.append('table', 'b'), (q: URLSearchParams) => q.set('expires', String(Number(q.get('expires')) + 3600)), (q: URLSearchParams) => q.append('signature', 'x')]) {
      const copy = new URLSearchParams(query);
      change(copy);
      expect(signer.check(copy, '', now)).toBe('invalid');
    }
  });

  it('refuses a link of one mount point at another, even with the same secret', () => {
    const now = Date.now();
    const signer = createLinkSigner('shared');
    const { query } = signer.sign(new URLSearchParams('table=a'), '/tenant-a', now);
    expect(signer.check(query, '/tenant-a', now)).toBe('valid');
    for (const other of ['/tenant-b', '', '/tenant-a/x']) expect(signer.check(query, other, now)).toBe('invalid');
  });
});
