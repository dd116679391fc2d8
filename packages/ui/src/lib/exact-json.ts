import { compareNumber, isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';

/**
 * JSON without rounding. The HTTP API writes PostgreSQL's own JSON text, so a bigint 9007199254740993, a numeric
 * 0.1000000000000000001 or a price 24.90 arrive with every digit; JSON.parse (and response.json()) would turn them into
 * 9007199254740992, 0.1 and 24.9. Here a number stays a JS number only when the number prints back exactly as written
 * (`String(Number(text)) === text`); any other number is kept as its text in a LosslessNumber (lossless-json), shown as
 * written and compared by exact value.
 */
export type ExactNumber = LosslessNumber;

export const isExactNumber = (value: unknown): value is ExactNumber => isLosslessNumber(value);

function parseNumber(text: string): number | ExactNumber {
  const number = Number(text);
  return String(number) === text ? number : new LosslessNumber(text);
}

/** JSON.parse without losing digits (duplicate keys: the last one wins, as with JSON.parse). */
export function parseExactJson(text: string): unknown {
  try {
    return parse(text, null, { parseNumber, onDuplicateKey: ({ newValue }) => newValue });
  } catch (error) {
    // lossless-json recurses once per nesting level; jsonb nests up to 10,000 deep. Such a value is shown
    // (numbers that JS cannot hold may be rounded) rather than failing the whole page it is on.
    if (error instanceof RangeError) return JSON.parse(text);
    throw error;
  }
}

/** JSON.stringify that writes exact numbers as their original text. */
export function stringifyExactJson(value: unknown): string {
  try {
    return stringify(value) ?? 'undefined';
  } catch (error) {
    if (error instanceof RangeError) return JSON.stringify(value) ?? 'undefined'; // too deep for lossless-json (see above)
    throw error;
  }
}

const isNumeric = (value: unknown): value is number | ExactNumber => typeof value === 'number' || isExactNumber(value);

/** The numeric value two JSON numbers stand for is the same (24.90 = 24.9; 9007199254740993 ≠ 9007199254740992). */
function sameNumber(a: number | ExactNumber, b: number | ExactNumber): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return compareNumber(String(a), String(b)) === 0;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !isExactNumber(v);

function deepEqual(a: unknown, b: unknown, same: (a: number | ExactNumber, b: number | ExactNumber) => boolean): boolean {
  if (a === b) return true;
  if (isNumeric(a) && isNumeric(b)) return same(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i], same));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key], same));
  }
  return false;
}

/** Deep equality of two parsed JSON values, numbers compared by their exact value (as PostgreSQL's jsonb compares them). */
export function sameJson(a: unknown, b: unknown): boolean {
  return deepEqual(a, b, sameNumber);
}

/**
 * sameJson, with numbers also written alike (24.90 ≠ 24.9, which jsonb keeps apart in print though it calls them equal):
 * the two values read the same, whatever the order of their keys.
 */
export function sameJsonText(a: unknown, b: unknown): boolean {
  return deepEqual(a, b, (x, y) => String(x) === String(y)); // a JS number here prints back as written (see parseNumber)
}
