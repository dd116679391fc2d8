import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Decides whether a request may use the API. Embedding apps supply their own (sessions, roles…). */
export type Authorize = (request: IncomingMessage) => boolean | Promise<boolean>;

/** A fresh random token for the standalone server. */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

const digest = (value: string) => createHash('sha256').update(value).digest();

const UNSENDABLE = /\s|[\u0000-\u001f\u007f]|[^\u0000-\u00ff]/u;

/**
 * Why no request could ever carry the token, or undefined when one can. A header value holds no line break or
 * control character and no character beyond U+00FF, and "Bearer <token>" is read up to the first whitespace: a token
 * with any of them would be accepted at startup and then refuse everyone, silently. It is not trimmed (a token read
 * from a secret file ending in a newline, say): refusing it says what is wrong, and the token stays exactly as given.
 */
function unsendable(token: string): string | undefined {
  const match = UNSENDABLE.exec(token);
  if (match === null) return undefined;
  const found = match[0];
  // "at its end" for a trailing "\r\n" too: only such characters follow
  const trailing = new RegExp(`^(?:${UNSENDABLE.source})+$`, 'u').test(token.slice(match.index));
  const what = /[\n\r\v\f\u2028\u2029]/.test(found) ? 'a line break' : /\s/.test(found) ? 'whitespace'
    : found.length === 1 && found.charCodeAt(0) <= 0xff ? 'a control character' : 'a character beyond U+00FF';
  const where = trailing ? 'at its end' : match.index === 0 ? 'at its start' : `at character ${[...token.slice(0, match.index)].length + 1}`;
  return `has ${what} ${where} (U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** Accepts requests carrying "Authorization: Bearer <token>"; compared in constant time. */
export function bearerTokenAuthorizer(token: string): Authorize {
  if (token.length < 8) throw new Error('Rowtrail: the API token must be at least 8 characters');
  const problem = unsendable(token);
  if (problem !== undefined) {
    throw new Error(`Rowtrail: the API token ${problem}, which no client can send in "Authorization: Bearer <token>", so every request would be `
      + 'refused: remove it (a secret file\'s last newline, say); it is used as given, never trimmed');
  }
  const expected = digest(token);
  return (request) => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    return match !== null && timingSafeEqual(digest(match[1]), expected);
  };
}
