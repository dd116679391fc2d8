import { comparableExpression } from './column-comparison.js';
import { jsonbObject } from './json-expressions.js';
import { quoteLiteral } from './quote.js';
import type { TrackedColumn } from './tracked-table-spec.js';

/**
 * The `{column: [old, new]}` object of an update, generated per column when the
 * trigger is created: a generic jsonb_each comparison measured ~1.5x slower on bulk updates.
 * Unchanged columns are first written as JSON null, then removed in one pass by
 * `- text[]` (null array elements are skipped), so each row builds one object.
 */
export function updateDiffExpression(columns: TrackedColumn[], oldRef: (c: TrackedColumn) => string, newRef: (c: TrackedColumn) => string): string {
  const same = (c: TrackedColumn) => `${comparableRef(c, oldRef)} IS NOT DISTINCT FROM ${comparableRef(c, newRef)}`;
  const pairs: Array<[string, string]> = columns.map((c) => [
    c.name,
    `CASE WHEN ${same(c)} THEN NULL ELSE jsonb_build_array(${oldRef(c)}, ${newRef(c)}) END`,
  ]);
  const unchangedKeys = columns.map((c) => `CASE WHEN ${same(c)} THEN ${quoteLiteral(c.name)} END`);
  return `(${jsonbObject(pairs)} - ARRAY[${unchangedKeys.join(', ')}]::text[])`;
}

function comparableRef(column: TrackedColumn, ref: (c: TrackedColumn) => string): string {
  return comparableExpression(column, ref(column));
}
