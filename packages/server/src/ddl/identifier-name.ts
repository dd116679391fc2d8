import { createHash } from 'node:crypto';

const MAX_IDENTIFIER_BYTES = 63;

/** A PostgreSQL identifier built from parts; shortened with a stable hash when longer than 63 bytes. */
export function identifierName(...parts: string[]): string {
  const name = parts.join('_');
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES) return name;
  const hash = shortHash(name);
  return `${clippedToBytes(name, MAX_IDENTIFIER_BYTES - hash.length - 1)}_${hash}`;
}

/** The name as PostgreSQL keeps an identifier longer than 63 bytes: cut there, between characters. */
export function postgresIdentifier(name: string): string {
  return clippedToBytes(name, MAX_IDENTIFIER_BYTES);
}

/** The longest start of text (whole characters) that fits in maxBytes of UTF-8. */
function clippedToBytes(text: string, maxBytes: number): string {
  let clipped = '';
  for (const char of text) {
    if (Buffer.byteLength(clipped + char) > maxBytes) break;
    clipped += char;
  }
  return clipped;
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
