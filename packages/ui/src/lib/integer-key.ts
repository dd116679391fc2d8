/**
 * Whether a value can be a key of an integer column: a whole number within the column type's range. PostgreSQL would
 * refuse 99999999999 for an `integer` or 1.5 for any integer column, and the API, which reads every numeric key as a
 * number, finds no history for such a key: the dashboard says why instead of "This record has no history".
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

/**
 * Why a number, written as digits (`-42`, `99999999999`, `1.5`, `1e3`), cannot be a value of the integer column `name`
 * of type `type`; null when it can, or when the column is not an integer one.
 */
export function integerKeyProblem(name: string, type: string, text: string): string | null {
  const range = integerRange(type);
  if (!range) return null;
  let value: bigint;
  if (/^-?\d+$/.test(text)) value = BigInt(text);
  else if (Number.isInteger(Number(text)) && Number.isSafeInteger(Number(text))) value = BigInt(Number(text)); // 1.0, 1e3
  else return `${name} is a whole number (${type}): ${text} is not one.`;
  if (value < range.min || value > range.max) return `${name} is ${type}, from ${range.min} to ${range.max}: ${text} is out of its range.`;
  return null;
}
