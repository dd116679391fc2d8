import { quoteIdent, quoteLiteral } from './quote.js';
import type { TrackedColumn } from './tracked-table-spec.js';

// jsonb_build_object takes at most 100 arguments (FUNC_MAX_ARGS): build large objects in chunks.
const PAIRS_PER_CALL = 50;

/** jsonb_build_object over [key, valueExpression] pairs, chunked and concatenated when large. */
export function jsonbObject(pairs: Array<[string, string]>): string {
  if (pairs.length === 0) return `'{}'::jsonb`;
  const calls: string[] = [];
  for (let i = 0; i < pairs.length; i += PAIRS_PER_CALL) {
    const chunk = pairs.slice(i, i + PAIRS_PER_CALL).map(([k, v]) => `${quoteLiteral(k)}, ${v}`);
    calls.push(`jsonb_build_object(${chunk.join(', ')})`);
  }
  return calls.length === 1 ? calls[0] : `(${calls.join(' || ')})`;
}

/** json and arrays of it: types whose values jsonb may be unable to hold. */
const JSON_TYPE = /^json(\s*\[\s*\d*\s*\])*$/i;

/** True for a column of type json or json[]. */
export const isJsonColumn = (column: TrackedColumn): boolean => JSON_TYPE.test(column.type.trim());

/**
 * A json expression as jsonb. A json value may hold an escape jsonb cannot (\u0000, a lone surrogate): one with any
 * \u escape goes through rowtrail.json_as_jsonb (sql/000010), which keeps those escapes as text rather than fail.
 * Every other value is converted by `direct` (the cast by default), without a function call.
 */
export function jsonToJsonb(schema: string, json: string, direct = `${json}::jsonb`): string {
  // E'': a function body may be compiled in a session with standard_conforming_strings off
  return `CASE WHEN strpos(${json}::text, E'\\\\u') = 0 THEN ${direct} ELSE ${quoteIdent(schema)}.json_as_jsonb(${json}) END`;
}

/** A column's value as jsonb, for a diff: json and json[] values through jsonToJsonb, others as they are. */
export function jsonbValue(schema: string, column: TrackedColumn, expression: string): string {
  if (!isJsonColumn(column)) return expression;
  return jsonToJsonb(schema, column.type.trim().toLowerCase() === 'json' ? expression : `to_json(${expression})`);
}
