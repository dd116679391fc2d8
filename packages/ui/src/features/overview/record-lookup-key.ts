import type { TrackedTable } from '../../api/types';
import { integerKeyProblem } from '../../lib/integer-key';

/** How a key column's value is typed in and written into the `key` parameter. */
export type KeyKind = 'integer' | 'decimal' | 'boolean' | 'uuid' | 'json' | 'text';

// Type names as the registry holds them (format_type(), size limits dropped), as the server reads them (query/record-key.ts).
const INTEGER = /^(smallint|integer|bigint|int2|int4|int8|int|serial|bigserial|smallserial)$/;
const DECIMAL = /^(numeric|decimal|real|double precision|float4|float8)$/;
const TEXT = /^(text|character varying|varchar|character|char|bpchar|citext|name)$/;

/** The column's type without modifiers: "character varying(255)" → "character varying", "numeric(10,2)" → "numeric". */
const baseType = (type: string): string => type.trim().toLowerCase().replace(/\s*\([^)]*\)/g, '');

export function keyKind(type: string): KeyKind {
  const base = baseType(type);
  if (INTEGER.test(base)) return 'integer';
  if (DECIMAL.test(base)) return 'decimal';
  if (base === 'boolean' || base === 'bool') return 'boolean';
  if (base === 'uuid') return 'uuid';
  if (base === 'json' || base === 'jsonb') return 'json';
  return 'text';
}

/** A key column of a tracked table with its type (text when the registry does not list it). */
export interface KeyColumn {
  name: string;
  type: string;
  kind: KeyKind;
}

export function keyColumns(table: TrackedTable): KeyColumn[] {
  return table.primaryKey.map((name) => {
    const type = table.columns.find((c) => c.name === name)?.type ?? 'text';
    return { name, type, kind: keyKind(type) };
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Whitespace around a pasted number, id or flag is never part of it; a text key is taken exactly as typed.
const typedValue = (column: KeyColumn, typed: string): string => (column.kind === 'text' && TEXT.test(baseType(column.type)) ? typed : typed.trim());

/** One typed value as JSON text, or the reason it cannot be this column's value. */
function valueJson(column: KeyColumn, typed: string): { json: string } | { error: string } {
  const value = typedValue(column, typed);
  if (value === '') return { error: `Enter the ${column.name}.` };
  switch (column.kind) {
    case 'integer': {
      // Kept as digits, not a JS number: a bigint key such as 9007199254740993 keeps every digit. Leading zeros are
      // dropped as the server drops them ("007" is the key 7), so the link is the one the feed's links use.
      const match = /^(-?)(\d+)$/.exec(value);
      if (!match) return { error: `${column.name} is a whole number (${column.type}), e.g. 42.` };
      const digits = match[2].replace(/^0+(?=\d)/, '');
      const json = `${digits === '0' ? '' : match[1]}${digits}`;
      // beyond the column's range (99999999999 for an integer) no row can have it: say so rather than open "no history"
      const problem = integerKeyProblem(column.name, column.type, json);
      return problem ? { error: problem } : { json };
    }
    case 'decimal': {
      const match = /^(-?)(\d+)(\.\d+)?$/.exec(value);
      return match ? { json: `${match[1]}${match[2].replace(/^0+(?=\d)/, '')}${match[3] ?? ''}` } : { error: `${column.name} is a number (${column.type}), e.g. 12.50.` };
    }
    case 'boolean': {
      const flag = value.toLowerCase();
      return flag === 'true' || flag === 'false' ? { json: flag } : { error: `${column.name} is true or false.` };
    }
    case 'uuid':
      return UUID.test(value) ? { json: JSON.stringify(value.toLowerCase()) } : { error: `${column.name} is a UUID, e.g. 123e4567-e89b-12d3-a456-426614174000.` };
    case 'json':
      // a json or jsonb key is any JSON value, typed as JSON and sent as typed (the server reads its numbers exactly)
      try {
        JSON.parse(value);
        return { json: value };
      } catch {
        return { error: `${column.name} is JSON (${column.type}), e.g. {"sku": "A-1"} or "text" in quotes.` };
      }
    default:
      return { json: JSON.stringify(value) };
  }
}

const utf8 = new TextEncoder();

/** jsonb's order of object keys (shorter first, then by their bytes): the order of the API's `recordKeyText`. */
function byJsonbKeyOrder(a: string, b: string): number {
  const [x, y] = [utf8.encode(a), utf8.encode(b)];
  if (x.length !== y.length) return x.length - y.length;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** The key columns something was typed into. */
export const filledColumns = (columns: KeyColumn[], values: Record<string, string | undefined>): KeyColumn[] =>
  columns.filter((column) => typedValue(column, values[column.name] ?? '') !== '');

/** Whether the form would filter the feed by some of a composite key rather than open one record. */
export const isPartialKey = (columns: KeyColumn[], values: Record<string, string | undefined>): boolean => {
  const filled = filledColumns(columns, values).length;
  return columns.length > 1 && filled > 0 && filled < columns.length;
};

/** `partial` when some columns of a composite key were left empty: `key` holds the others. */
export type LookupKey = { key: string; partial?: true; errors?: undefined } | { key?: undefined; errors: Record<string, string> };

/**
 * The `key` parameter (JSON text) for the values typed into the lookup form, one per key column, written as the API
 * writes `recordKeyText` (numbers as numbers, keys in jsonb order, compact), so the record page opened is the very
 * page a feed link to that record opens. Values that cannot be the column's are reported by column name instead.
 * A composite key with some columns left empty is `partial`: the feed lists every record whose key has the others
 * (one side's links in a join table); with every column empty, each is asked for.
 */
export function lookupKey(columns: KeyColumn[], values: Record<string, string | undefined>): LookupKey {
  const filled = filledColumns(columns, values);
  const asked = filled.length > 0 && columns.length > 1 ? filled : columns;
  const parts: [string, string][] = [];
  const errors: Record<string, string> = {};
  for (const column of asked) {
    const result = valueJson(column, values[column.name] ?? '');
    if ('error' in result) errors[column.name] = result.error;
    else parts.push([column.name, result.json]);
  }
  if (Object.keys(errors).length > 0) return { errors };
  parts.sort(([a], [b]) => byJsonbKeyOrder(a, b));
  const key = `{${parts.map(([name, json]) => `${JSON.stringify(name)}:${json}`).join(',')}}`;
  return asked.length < columns.length ? { key, partial: true } : { key };
}
