import { quoteIdent } from './quote.js';
import type { TrackedColumn } from './tracked-table-spec.js';

// Types without a btree equality operator, and citext (whose equality ignores case): compared as text.
const TEXT_COMPARED_TYPES = /^((json|xml|point|line|lseg|box|path|polygon|circle)\b|([\w"]+\.)?citext$)/i;
// Text types, arrays included: compared byte for byte (COLLATE "C"), so a column with a case- or
// accent-insensitive (nondeterministic) collation still records a change of case or accents.
const COLLATABLE_TYPES = /^(text|character varying|varchar|character|char|bpchar|name)\b/i;

/** The expression to compare a column of `prefix` (e.g. "o." or "OLD.") with another. */
export function comparable(column: TrackedColumn, prefix: string): string {
  return comparableExpression(column, prefix + quoteIdent(column.name));
}

/** A column's value expression made comparable: types without an equality operator compare as text. */
export function comparableExpression(column: TrackedColumn, expression: string): string {
  const type = column.type.trim();
  if (TEXT_COMPARED_TYPES.test(type)) return `${expression}::text COLLATE "C"`;
  return COLLATABLE_TYPES.test(type) ? `${expression} COLLATE "C"` : expression;
}

/** `a IS DISTINCT FROM b` over several columns; "false" when there are none. */
export function anyColumnDiffers(columns: TrackedColumn[], left: string, right: string): string {
  if (columns.length === 0) return 'false';
  if (columns.length === 1) return `${comparable(columns[0], left)} IS DISTINCT FROM ${comparable(columns[0], right)}`;
  const l = columns.map((c) => comparable(c, left)).join(', ');
  const r = columns.map((c) => comparable(c, right)).join(', ');
  return `ROW(${l}) IS DISTINCT FROM ROW(${r})`;
}
