import { z } from 'zod';
import { invalidParameter } from './query-errors.js';

const cursorSchema = z.object({
  v: z.literal(1),
  /** Event id of the last event on the previous page. */
  e: z.string().regex(/^\d{1,19}$/),
});

/**
 * Opaque keyset cursor: base64url of {"v":1,"e":"<last event id>"}. The next page
 * continues strictly after that event in the list's order, so events that
 * arrive during a walk neither shift nor repeat the pages.
 */
export function encodeCursor(lastEventId: string): string {
  return Buffer.from(JSON.stringify({ v: 1, e: lastEventId })).toString('base64url');
}

/** Decodes a cursor from nextCursor, or throws a 400 naming "cursor". */
export function decodeCursor(cursor: string | undefined | null, parameter = 'cursor'): string | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalidParameter(parameter, 'malformed cursor (use the nextCursor value of the previous page)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidParameter(parameter, 'malformed cursor (use the nextCursor value of the previous page)');
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) throw invalidParameter(parameter, 'malformed cursor (use the nextCursor value of the previous page)');
  if (BigInt(result.data.e) > 9223372036854775807n) throw invalidParameter(parameter, 'malformed cursor (event id out of range)');
  return result.data.e;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

/** Validates a page size (1–1000, default 50). */
export function pageLimit(limit: number | undefined, parameter = 'limit'): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw invalidParameter(parameter, `must be an integer from 1 to ${MAX_LIMIT}`);
  return limit;
}

export interface Page<T> {
  events: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}
