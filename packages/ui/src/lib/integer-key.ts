/**
 * Whether a value can be a key of an integer column: a whole number within the column type's range. PostgreSQL would
 * refuse 99999999999 for an `integer` or 1.5 for any integer column, and the API, which reads every numeric key as a
 * number, finds no history for such a key: the dashboard says why instead of "No change of this key is recorded".
 */

// Type names as the registry holds them (format_type(), size limits dropped), as the server reads them.
const BITS: Record<string, number> = {
  smallint: 16, int2: 16, smallserial: 16,
  integer: 32, int: 32, int4: 32, serial: 32,
  bigint: 64, int8: 64, bigserial: 64,
};

/** The column's type without modifiers or case: "INTEGER" → "integer". */
const baseType = (type: string): string => type.trim().toLowerCase().replace(/\s*\([^)]*\)/g, '');

/** The range of an integer column type, or null when the type is not one. */
export function integerRange(type: string): { min: bigint; max: bigint } | null {
  const bits = BITS[baseType(type)];
  if (!bits) return null;
  const max = (1n << BigInt(bits - 1)) - 1n;
  return { min: -max - 1n, max };
}

/** Digits, with a sign, a fraction and an exponent: how JSON and the API write a number (`-42`, `1.0`, `92233720368547758e2`). */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** More integer digits than this (no leading zeros) is beyond every integer type (2^63 has 19). */
const MAX_DIGITS = 20;

/**
 * The whole number a decimal text stands for, decided from its digits: 'whole' with its value, 'fraction' when it is
 * not whole, 'huge' when it has more digits than any integer column's range (1e400), 'invalid' when it is not a number.
 * No JS number in between: Number would round 9223372036854775807.0 and 2147483647.0000000001, and overflow 1e400.
 */
function wholeNumber(text: string): { kind: 'whole'; value: bigint } | { kind: 'fraction' | 'huge' | 'invalid' } {
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === '' && !match[3])) return { kind: 'invalid' };
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  // The number is 0.DIGITS × 10^point: the decimal point sits after `point` digits (before the first when negative).
  // The exponent may be too long for an exact JS number; only whether the point lands inside the digits matters then.
  let digits = whole + fraction;
  let point = whole.length + Number(exponent);
  // (counted in a loop: /0+$/ would retry at every zero of a long run, in quadratic time)
  let first = 0;
  let end = digits.length;
  while (first < end && digits[first] === '0') first++;
  while (end > first && digits[end - 1] === '0') end--;
  digits = digits.slice(first, end);
  point -= first;
  if (digits === '') return { kind: 'whole', value: 0n }; // -0, 0.000, 0e999999
  if (point < digits.length) return { kind: 'fraction' }; // a nonzero digit after the point
  if (point > MAX_DIGITS) return { kind: 'huge' };
  const value = BigInt(digits + '0'.repeat(point - digits.length));
  return { kind: 'whole', value: sign === '-' ? -value : value };
}

/**
 * Why a number, written as digits (`-42`, `99999999999`, `1.5`, `1e3`), cannot be a value of the integer column `name`
 * of type `type`; null when it can, or when the column is not an integer one. Decided exactly from the digits:
 * 9223372036854775807.0 is a bigint, 2147483647.0000000001 is not whole, 1e400 is out of range.
 */
export function integerKeyProblem(name: string, type: string, text: string): string | null {
  const range = integerRange(type);
  if (!range) return null;
  const number = wholeNumber(text);
  const outOfRange = `${name} is ${type}, from ${range.min} to ${range.max}: ${text} is out of its range.`;
  if (number.kind === 'whole') return number.value < range.min || number.value > range.max ? outOfRange : null;
  return number.kind === 'huge' ? outOfRange : `${name} is a whole number (${type}): ${text} is not one.`;
}
