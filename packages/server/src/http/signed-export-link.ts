import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Seconds a download link stays valid. */
export const LINK_TTL_SECONDS = 60;

export type LinkCheck = 'absent' | 'valid' | 'expired' | 'invalid';

/**
 * Signs export query strings so a browser can download with a plain link
 * (streamed straight to disk, no Authorization header, no token in the URL).
 * The signature covers every parameter, an expiry and the API's mount point
 * (so a link made by one mount of a shared secret, say one tenant's, opens no
 * other mount's export); the secret lives in the process (or is shared through
 * ApiOptions.linkSecret by several processes).
 */
export function createLinkSigner(secret: Buffer | string = randomBytes(32)) {
  const mac = (basePath: string, canonical: string) => createHmac('sha256', secret).update(`rowtrail-export ${basePath}/api/export?${canonical}`).digest();
  const canonical = (query: URLSearchParams) => {
    const entries = [...query].filter(([name]) => name !== 'signature');
    entries.sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1));
    return new URLSearchParams(entries).toString();
  };
  return {
    /** The query with "expires" (unix seconds) and "signature" added, for the export of the API mounted at basePath. */
    sign(query: URLSearchParams, basePath: string, now = Date.now()): { query: URLSearchParams; expiresAt: Date } {
      const signed = new URLSearchParams([...query].filter(([name]) => name !== 'expires' && name !== 'signature'));
      const expires = Math.floor(now / 1000) + LINK_TTL_SECONDS;
      signed.set('expires', String(expires));
      signed.set('signature', mac(basePath, canonical(signed)).toString('base64url'));
      return { query: signed, expiresAt: new Date(expires * 1000) };
    },
    /** Whether a query carries a valid, unexpired signature for the export of the API mounted at basePath. */
    check(query: URLSearchParams, basePath: string, now = Date.now()): LinkCheck {
      const signature = query.getAll('signature');
      if (signature.length === 0) return 'absent';
      const given = Buffer.from(signature[0], 'base64url');
      const expected = mac(basePath, canonical(query));
      if (signature.length > 1 || given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
      return Number(query.get('expires')) * 1000 >= now ? 'valid' : 'expired';
    },
  };
}

export type LinkSigner = ReturnType<typeof createLinkSigner>;
