import { invalidParameter } from './query-errors.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * PostgreSQL text cannot hold NUL, and jsonb refuses lone UTF-16 surrogates:
 * such values are refused here (400 naming the parameter) rather than failing in SQL.
 */
export function requireSafeText(value: string, parameter: string): string {
  if (value.includes('\u0000')) throw invalidParameter(parameter, 'must not contain a NUL character');
  if (LONE_SURROGATE.test(value)) throw invalidParameter(parameter, 'must be valid Unicode (it contains a lone surrogate)');
  return value;
}
