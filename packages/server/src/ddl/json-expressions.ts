import { quoteLiteral } from './quote.js';

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
