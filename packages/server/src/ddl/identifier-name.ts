import { createHash } from 'node:crypto';

const MAX_IDENTIFIER_BYTES = 63;

/** A PostgreSQL identifier built from parts; shortened with a stable hash when longer than 63 bytes. */
export function identifierName(...parts: string[]): string {
  const name = parts.join('_');
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES) return name;
  const hash = shortHash(name);
  let head = name;
  while (Buffer.byteLength(head) > MAX_IDENTIFIER_BYTES - hash.length - 1) head = head.slice(0, -1);
  return `${head}_${hash}`;
}

export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
