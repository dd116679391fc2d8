import { isInexactNumberText, plainDecimal } from './exact-json.js';
import { describeValue, invalidParameter } from './query-errors.js';
import { baseType, isZonedTime } from './column-type.js';
import { requireSafeText } from './safe-text.js';
import type { RegisteredTable } from './tracked-table-registry.js';

const NUMERIC_TYPE = /^(smallint|integer|bigint|int|int2|int4|int8|numeric|decimal|real|double precision|float4|float8|serial|bigserial)\b/i;
const FLOAT_TYPE = /^(real|double precision|float4|float8)\b/i;
// Types with values beyond the numbers: NaN and ±Infinity (numeric's Infinity from PostgreSQL 14)
const SPECIAL_VALUE_TYPE = /^(numeric|decimal|real|double precision|float4|float8)\b/i;
// Types whose values the key check reads itself (record-match.ts compares them); a value of any other type is read by
// PostgreSQL as its column's type (castRecordKey in record-key-cast.ts), as a jsonb value is by its cast
const KNOWN_TYPES = new Set(['text', 'character varying', 'varchar', 'character', 'char', 'bpchar', 'uuid', 'date', 'timestamp',
  'timestamp without time zone', 'timestamptz', 'timestamp with time zone', 'json', 'jsonb']);
const JSON_TYPES = new Set(['json', 'jsonb']);

/**
 * A key value PostgreSQL read as its column's type (castRecordKey): the text it was given as, its JSON as the capture
 * writes a value of the type, and the type, schema-qualified, for a typed comparison.
 */
export class CastKeyValue {
  constructor(readonly text: string, readonly json: string, readonly type: string) {}
}

/** One primary-key value of a record key, checked and normalised. */
export interface RecordKeyPart {
  name: string;
  /** The column's snapshot type, from the registry. */
  type: string;
  /** The value as the capture trigger wrote it into the jsonb record key (JSON text). */
  json: string;
  /** The value as SQL text for a typed comparison: the digits of a number, the string itself. */
  text: string;
  /** The type `text` is cast to for a typed comparison, where the key check does not write one of its own (jsonb, a type PostgreSQL read). */
  cast?: string;
  /**
   * A json or jsonb key given with numbers a double cannot hold as strings of their digits (as this API hands them
   * out): the same key with those strings as numbers, matched too.
   */
  alternative?: string;
}

/** Whether a key column's values are read by PostgreSQL as its type before they are compared (castRecordKey): types the key check does not know. */
export const castOnServer = (part: RecordKeyPart): boolean =>
  part.cast === undefined && !NUMERIC_TYPE.test(part.type.trim()) && !KNOWN_TYPES.has(baseType(part.type));

/**
 * Checks a record key given by a caller ({"id": 5} or {"id": "5"}) against the
 * table's primary-key columns (exactly those; with `partial`, one or more of them)
 * and normalises each value. Numeric columns keep their digits (no float
 * rounding of big ids), written as a valid JSON number (leading zeros dropped).
 */
export function recordKeyParts(table: RegisteredTable, key: unknown, parameter = 'key', { partial = false } = {}): RecordKeyPart[] {
  if (key === null || typeof key !== 'object' || Array.isArray(key)) {
    throw invalidParameter(parameter, `must be a JSON object of the primary key of ${table.table}, e.g. {"${table.primaryKey[0]}": …}`);
  }
  const given = Object.keys(key);
  for (const name of given) {
    if (!table.primaryKey.includes(name)) throw invalidParameter(parameter, `"${name}" is not a primary-key column of ${table.table} (primary key: ${table.primaryKey.join(', ')})`);
  }
  // {} would select every record of the table: that is the table filter, not a key
  if (partial && given.length === 0) throw invalidParameter(parameter, `names no column: give one or more primary-key columns of ${table.table} (${table.primaryKey.join(', ')})`);
  const named = partial ? table.primaryKey.filter((name) => given.includes(name)) : table.primaryKey;
  return named.map((name) => {
    // a record is its whole key; the feed's filter (recordKey) is what takes part of one
    if (!given.includes(name)) throw invalidParameter(parameter, `missing primary-key column "${name}" of ${table.table}${table.primaryKey.length > 1 ? ' (one record needs its whole key; a filter\'s recordKey may name part of it)' : ''}`);
    const value = (key as Record<string, unknown>)[name];
    const type = table.columns.find((c) => c.name === name)?.type ?? 'text';
    if (value instanceof CastKeyValue) return { name, type, json: value.json, text: value.text, cast: value.type };
    // a json or jsonb key holds any JSON value, compared as jsonb (a json key's jsonb is in the record key only)
    if (JSON_TYPES.has(baseType(type))) {
      const json = exactJson(value, `${parameter}.${name}`);
      const asNumbers = exactJson(value, `${parameter}.${name}`, true);
      return { name, type, json, text: json, cast: baseType(type) === 'jsonb' ? 'jsonb' : undefined, ...(asNumbers !== json ? { alternative: asNumbers } : {}) };
    }
    // a boolean given as one needs no reading by PostgreSQL
    if (typeof value === 'boolean' && ['boolean', 'bool'].includes(baseType(type))) return { name, type, json: String(value), text: String(value), cast: 'boolean' };
    const keyValue = value instanceof Date ? dateKeyValue(value, type, `${parameter}.${name}`) : value;
    const json = keyValueJson(keyValue, type, `${parameter}.${name}`);
    const special = NUMERIC_TYPE.test(type) && json.startsWith('"'); // NaN or ±Infinity, written as a JSON string
    return { name, type, json, text: (typeof keyValue === 'string' && !NUMERIC_TYPE.test(type)) ? keyValue : special ? JSON.parse(json) as string : json };
  });
}

/** The record key as the jsonb text the capture triggers wrote for it (for a parameterized ::jsonb); `partial` as for recordKeyParts. */
export function recordKeyJson(table: RegisteredTable, key: unknown, parameter = 'key', options: { partial?: boolean } = {}): string {
  return `{${recordKeyParts(table, key, parameter, options).map((p) => `${JSON.stringify(p.name)}:${p.json}`).join(',')}}`;
}

/**
 * A Date names an instant, which only a timestamptz key holds: it is that instant's ISO text. A timestamp or date
 * column holds a wall-clock time, which a Date does not say (its zone is the process's), so it is refused there.
 */
function dateKeyValue(value: Date, type: string, parameter: string): string {
  if (Number.isNaN(value.getTime())) throw invalidParameter(parameter, 'is an invalid Date');
  if (!isZonedTime(type)) throw invalidParameter(parameter, `is a Date, which names an instant, but the column is ${type}: give its value as a string such as "2024-05-01T12:00:00"`);
  return value.toISOString();
}

function keyValueJson(value: unknown, type: string, parameter: string): string {
  const numeric = NUMERIC_TYPE.test(type.trim());
  // a double above 2^53 is not the key it was meant to be (9007199254740993 arrives as …992): its digits as a string are.
  // A float key holds doubles (or less), so any double is a value of its type, compared as one.
  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value) && !FLOAT_TYPE.test(type.trim())) {
    throw invalidParameter(parameter, `${value} is beyond the integers a JavaScript number holds exactly (±2^53 − 1): give the key as a string of its digits, such as "9007199254740993"`);
  }
  if (typeof value === 'bigint') value = value.toString();
  // A float or numeric key may hold NaN and ±Infinity, which the capture writes as JSON strings, as exports show them
  if (numeric && SPECIAL_VALUE_TYPE.test(type.trim())) {
    const special = typeof value === 'number' && !Number.isFinite(value) ? String(value) : typeof value === 'string' ? value : undefined;
    if (special === 'NaN' || special === 'Infinity' || special === '-Infinity') return JSON.stringify(special);
  }
  if (numeric) {
    // a string as it is: " 4" is refused, as the query API's docs say (PostgreSQL would read it as 4)
    // a number in its plain digits: String() writes 1e-7 and 1e+21 with an exponent
    const text = typeof value === 'number' && Number.isFinite(value) ? plainDecimal(String(value)) ?? '' : typeof value === 'string' ? value : '';
    // as many digits as PostgreSQL's numeric holds (131072 before the point, 16383 after)
    const match = /^(-?)(\d{1,131072})(\.\d{1,16383})?$/.exec(text);
    if (!match) throw invalidParameter(parameter, `must be a number, got ${describeValue(value)}`);
    // JSON numbers have no leading zeros: "007" is the key 7 (jsonb compares numbers by value, so 1.50 = 1.5)
    return `${match[1]}${match[2].replace(/^0+(?=\d)/, '')}${match[3] ?? ''}`;
  }
  if (typeof value === 'string') return JSON.stringify(requireSafeText(value, parameter));
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return JSON.stringify(value);
  throw invalidParameter(parameter, `must be a string, number or boolean, got ${describeValue(value)}`);
}

/**
 * A JSON value as JSON text for a json or jsonb key, numbers exact (a bigint, a digit string stays a string). Refused,
 * naming the parameter: what JSON does not hold (undefined, a function, NaN, a Date or other class instance) and text
 * jsonb refuses (NUL, a lone surrogate), in names and strings alike.
 */
function exactJson(value: unknown, parameter: string, inexactAsNumbers = false): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return inexactAsNumbers && isInexactNumberText(value) ? value : JSON.stringify(requireSafeText(value, parameter));
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isFinite(value)) return plainDecimal(String(value)) ?? String(value);
  if (Array.isArray(value)) return `[${value.map((v) => exactJson(v, parameter, inexactAsNumbers)).join(',')}]`;
  if (typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    return `{${Object.entries(value as object).map(([k, v]) => `${JSON.stringify(requireSafeText(k, parameter))}:${exactJson(v, parameter, inexactAsNumbers)}`).join(',')}}`;
  }
  throw invalidParameter(parameter, `must be a JSON value (an object, array, string, number, boolean or null), got ${describeValue(value)}`);
}
