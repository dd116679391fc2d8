/** Largest encoded context, in bytes. Larger ones are refused before any write. */
export const MAX_CONTEXT_BYTES = 8192;

export const CONTEXT_COMMENT_PREFIX = '/*rowtrail:';

export class RowtrailContextError extends Error {
  override name = 'RowtrailContextError';
}

/** JSON text as the comment carries it: every "*" as \u002a (six bytes), so the comment cannot end or nest early. */
const asSent = (json: string): string => json.replace(/\*/g, '\\u002a');

/** Bytes a string value takes inside the comment as sent: its UTF-8 bytes, with JSON's escapes, each "*" as six. */
export function sentBytes(text: string): number {
  return Buffer.byteLength(asSent(JSON.stringify(text))) - 2;
}

/**
 * Encodes a context as the SQL comment that prefixes each statement:
 *   /*rowtrail:{"id":"…","m":{…}}*\/
 * Every "*" is written as \u002a so that neither "*\/" nor a nested "/*" can
 * appear inside; JSON already escapes quotes, backslashes and newlines, and
 * non-ASCII travels as UTF-8. The database decodes it back verbatim.
 */
export function encodeContextComment(id: string, metadata: unknown, extra?: Record<string, unknown>): string {
  return encodeContext(id, metadata, extra).comment;
}

/** encodeContextComment(), with the metadata as the comment carries it (parsed back from its JSON: what history records). */
export function encodeContext(id: string, metadata: unknown, extra?: Record<string, unknown>): { comment: string; sent: Record<string, unknown> } {
  for (const key of ['id', 'm']) {
    // the comment's id and metadata are the context's own: an extra key of the same name would replace them
    if (extra && Object.hasOwn(extra, key)) throw new RowtrailContextError(`Rowtrail: the context's extra payload may not set "${key}", which is the context's ${key === 'id' ? 'id' : 'metadata'}`);
  }
  const collection = collectionIn(metadata);
  if (collection) {
    throw new RowtrailContextError(`Rowtrail: the request context holds a ${collection}, which JSON would store as {} and lose its entries; use a plain object (Object.fromEntries(map)) or an array`);
  }
  let json: string;
  try {
    json = JSON.stringify({ id, m: metadata, ...extra }); // extra: e.g. "ig", protections ignored by ignore()
  } catch (error) {
    throw new RowtrailContextError(`Rowtrail: the request context is not JSON-serialisable: ${(error as Error).message}`, { cause: error });
  }
  // Validate what is sent, not the object: toJSON() (a Date, a value object) may turn it into something else.
  const sent = (JSON.parse(json) as { m?: unknown }).m;
  if (sent === null || typeof sent !== 'object' || Array.isArray(sent)) {
    throw new RowtrailContextError(`Rowtrail: the request context must be a JSON object, got ${describe(sent)} once serialised`);
  }
  if (someString(sent, (text) => text.includes('\0'))) {
    throw new RowtrailContextError('Rowtrail: the request context contains a NUL character (\\u0000), which PostgreSQL jsonb cannot store');
  }
  if (someString(sent, (text) => LONE_SURROGATE.test(text))) {
    throw new RowtrailContextError('Rowtrail: the request context contains half of a UTF-16 surrogate pair (a string cut inside an emoji or another character outside the BMP), which PostgreSQL jsonb cannot store');
  }
  // The limit applies to what every statement carries: each "*" is sent as six bytes.
  const encoded = asSent(json);
  const bytes = Buffer.byteLength(encoded);
  if (bytes > MAX_CONTEXT_BYTES) {
    throw new RowtrailContextError(`Rowtrail: the request context is ${bytes} bytes once encoded; the limit is ${MAX_CONTEXT_BYTES} bytes`);
  }
  return { comment: `${CONTEXT_COMMENT_PREFIX}${encoded}*/`, sent: sent as Record<string, unknown> };
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** "Map" or "Set" when the value is one or holds one (in plain objects and arrays), else undefined. */
function collectionIn(value: unknown, depth = 0): string | undefined {
  if (value instanceof Map) return 'Map';
  if (value instanceof Set) return 'Set';
  if (depth > 32 || value === null || typeof value !== 'object') return undefined;
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    const found = collectionIn(v, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * True when any string (key or value) in a parsed JSON value passes the test. Walked with a stack of its own, not
 * by recursion: metadata nested a few thousand levels deep fits in the size limit and must not overflow the call stack.
 */
function someString(value: unknown, test: (text: string) => boolean): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (test(next)) return true;
    } else if (Array.isArray(next)) {
      pending.push(...next);
    } else if (next && typeof next === 'object') {
      for (const [key, v] of Object.entries(next)) {
        if (test(key)) return true;
        pending.push(v);
      }
    }
  }
  return false;
}
