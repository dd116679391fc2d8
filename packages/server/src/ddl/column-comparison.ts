import { quoteIdent } from './quote.js';
import type { TrackedColumn } from './tracked-table-spec.js';

// Text types, arrays included: compared byte for byte (COLLATE "C"), so a column with a case- or
// accent-insensitive (nondeterministic) collation still records a change of case or accents.
const COLLATABLE_TYPES = /^(text|character varying|varchar|character|char|bpchar|name)(?![\w.])/i;
// Built-in types whose equality operator is in pg_catalog. Any other type is compared as text: types
// without an equality operator (json, xml, geometric types), citext (its equality ignores case), interval (its
// equality takes 1 month for 30 days and 1 day for 24 hours, values that date arithmetic tells apart), and an
// extension's type, an enum, a domain or a composite, whose own "=" would be looked up in the writer's
// search_path when the capture is planned, and is not there for every session (pg_dump sets it to '').
const BUILT_IN_EQUALITY_TYPES = new RegExp(`^(${[
  'smallint', 'integer', 'bigint', 'int2', 'int4', 'int8', 'int', 'numeric', 'decimal', 'real', 'double precision', 'float4', 'float8',
  'boolean', 'bool', 'date', 'time', 'timetz', 'timestamp', 'timestamptz', 'uuid', 'bytea', 'bit', 'varbit', 'bit varying',
  'inet', 'cidr', 'macaddr', 'macaddr8', 'money', 'oid', 'jsonb', 'tsvector', 'tsquery', 'pg_lsn',
  'int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange',
].join('|')})(?![\\w.])`, 'i');

/** The expression to compare a column of `prefix` (e.g. "o." or "OLD.") with another. */
export function comparable(column: TrackedColumn, prefix: string): string {
  return comparableExpression(column, prefix + quoteIdent(column.name));
}

/** A column's value expression made comparable: text byte for byte, types other than built-in ones with an equality operator as text. */
export function comparableExpression(column: TrackedColumn, expression: string): string {
  const type = column.type.trim();
  if (type === '') return expression; // type unknown (a protection spec without column types): its own equality
  // cast first: the column may hold another type than the spec says (TypeORM enums are specified as text)
  if (COLLATABLE_TYPES.test(type)) return `${expression}::${type.endsWith(']') ? 'text[]' : 'text'} COLLATE "C"`;
  return BUILT_IN_EQUALITY_TYPES.test(type) ? expression : `${expression}::text COLLATE "C"`;
}

/** `a IS DISTINCT FROM b` over several columns; "false" when there are none. */
export function anyColumnDiffers(columns: TrackedColumn[], left: string, right: string): string {
  if (columns.length === 0) return 'false';
  if (columns.length === 1) return `${comparable(columns[0], left)} IS DISTINCT FROM ${comparable(columns[0], right)}`;
  const l = columns.map((c) => comparable(c, left)).join(', ');
  const r = columns.map((c) => comparable(c, right)).join(', ');
  return `ROW(${l}) IS DISTINCT FROM ROW(${r})`;
}
