import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Decides whether a request may use the API. Embedding apps supply their own (sessions, roles…). */
export type Authorize = (request: IncomingMessage) => boolean | Promise<boolean>;

/** A fresh random token for the standalone server. */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Accepts requests carrying "Authorization: Bearer <token>"; compared in constant time. */
export function bearerTokenAuthorizer(token: string): Authorize {
  if (token.length < 8) throw new Error('Rowtrail: the API token must be at least 8 characters');
  const expected = digest(token);
  return (request) => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    return match !== null && timingSafeEqual(digest(match[1]), expected);
  };
}
