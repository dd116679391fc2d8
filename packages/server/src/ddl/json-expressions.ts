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
    calls.push(`pg_catalog.jsonb_build_object(${chunk.join(', ')})`);
  }
  return calls.length === 1 ? calls[0] : `(${calls.join(' || ')})`;
}

/** json and arrays of it: types whose values jsonb may be unable to hold. */
const JSON_TYPE = /^json(\s*\[\s*\d*\s*\])*$/i;

/** True for a column of type json or json[]. */
export const isJsonColumn = (column: TrackedColumn): boolean => JSON_TYPE.test(column.type.trim());

/**
 * PostgreSQL's own scalar types, whose values to_jsonb always converts (a number, a boolean or a string of the
 * value's text), named as format_type() and TypeORM name them, without size limits or array brackets.
 */
const PLAIN_TYPES = new Set([
  'smallint', 'integer', 'bigint', 'int', 'int2', 'int4', 'int8', 'real', 'double precision', 'float4', 'float8', 'numeric', 'decimal',
  'money', 'text', 'character varying', 'varchar', 'character', 'char', 'bpchar', 'name', '"char"', 'citext', 'boolean', 'bool',
  'bytea', 'date', 'time', 'time without time zone', 'time with time zone', 'timetz', 'timestamp', 'timestamp without time zone',
  'timestamp with time zone', 'timestamptz', 'interval', 'uuid', 'jsonb', 'xml', 'inet', 'cidr', 'macaddr', 'macaddr8', 'bit',
  'bit varying', 'varbit', 'tsvector', 'tsquery', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle', 'int4range',
  'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange', 'int4multirange', 'int8multirange', 'nummultirange',
  'tsmultirange', 'tstzmultirange', 'datemultirange', 'oid', 'pg_lsn', 'xid', 'xid8', 'cid', 'tid', 'regclass', 'regtype',
  'regproc', 'regprocedure', 'regoper', 'regoperator', 'regnamespace', 'regrole', 'regconfig', 'regdictionary', 'jsonpath',
  'hstore', 'ltree', 'geometry', 'geography',
]);

/**
 * True for a type whose values may hold json inside: json itself, and any type not known to be a plain scalar, since a
 * composite type (`CREATE TYPE pair AS (label text, payload json)`), a domain over json and arrays of them are named
 * like any other type of the database (an enum, a domain over text). to_jsonb of such a value fails as a json value
 * does where the json holds \u0000; a value of a type that holds no json takes the same path at the cost of its text.
 */
export function mayHoldJson(type: string): boolean {
  let base = type.trim().replace(/(\s*\[\s*\d*\s*\])+$/, '').replace(/\s*\([^)]*\)/g, '').replace(/\s+/g, ' ');
  // a qualified name of pg_catalog's is its own; a quoted name keeps its case ("Char" is a type of the database's)
  base = base.replace(/^(pg_catalog|"pg_catalog")\./i, '');
  if (!base.startsWith('"')) base = base.toLowerCase();
  // an interval with fields: "interval day to second", "interval year to month"
  return !PLAIN_TYPES.has(base) && !/^interval\b/.test(base);
}

/**
 * A json expression as jsonb. A json value may hold an escape jsonb cannot (\u0000, a lone surrogate): one with any
 * \u escape goes through rowtrail.json_as_jsonb (sql/000010), which keeps those escapes as text rather than fail.
 * Every other value is converted by `direct` (the cast by default), without a function call.
 */
export function jsonToJsonb(schema: string, json: string, direct = `${json}::jsonb`): string {
  // E'': a function body may be compiled in a session with standard_conforming_strings off
  return `CASE WHEN strpos(${json}::text, E'\\\\u') = 0 THEN ${direct} ELSE ${quoteIdent(schema)}.json_as_jsonb(${json}) END`;
}

/**
 * A column's value as jsonb, for a diff: json values through jsonToJsonb, values of a type that may hold json inside
 * (mayHoldJson) through their JSON text the same way, plain scalars as they are.
 */
export function jsonbValue(schema: string, column: TrackedColumn, expression: string): string {
  if (isJsonColumn(column)) return jsonToJsonb(schema, column.type.trim().toLowerCase() === 'json' ? expression : `pg_catalog.to_json(${expression})`);
  if (!mayHoldJson(column.type)) return expression;
  return jsonToJsonb(schema, `pg_catalog.to_json(${expression})`, `pg_catalog.to_jsonb(${expression})`);
}
