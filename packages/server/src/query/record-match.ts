import { qualified, quoteIdent } from '../ddl/quote.js';
import { baseType } from './column-type.js';
import type { SqlParams } from './event-sql.js';
import { recordKeyJson, recordKeyParts, type RecordKeyPart } from './record-key.js';
import type { RegisteredTable } from './tracked-table-registry.js';

const INTEGER_RANGE: Record<string, bigint> = { smallint: 2n ** 15n, int2: 2n ** 15n, integer: 2n ** 31n, int: 2n ** 31n, int4: 2n ** 31n, bigint: 2n ** 63n, int8: 2n ** 63n };
const DECIMAL_TYPES = new Set(['numeric', 'decimal', 'real', 'double precision', 'float4', 'float8']);
const FLOAT_TYPES = new Set(['real', 'double precision', 'float4', 'float8']);
const TEXT_TYPES = new Set(['text', 'character varying', 'varchar']);
const CHAR_TYPES = new Set(['character', 'char', 'bpchar']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIME_TYPES: Record<string, string> = {
  'timestamp with time zone': 'timestamptz', timestamptz: 'timestamptz', 'timestamp without time zone': 'timestamp', timestamp: 'timestamp', date: 'date',
};
// ISO 8601 as the capture writes it (to_jsonb) and as people type it: date, optional time, optional zone.
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?))?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Whether PostgreSQL reads the decimal text as a float of that size: it refuses a value beyond the type's range, and
 * one so small that it would round to zero, where a key column of the type cannot hold it anyway (no record has it).
 */
function fitsFloat(text: string, single: boolean): boolean {
  const value = single ? Math.fround(Number(text)) : Number(text);
  if (!Number.isFinite(value)) return false;
  return value !== 0 || !/[1-9]/.test(text.replace(/e.*$/i, ''));
}

/** The date, time of day and zone of an ISO date or timestamp whose fields exist (no 2024-02-30, no 25:00, no zone beyond ±15:59); undefined otherwise. */
function isoTimeParts(text: string): { date: string; clock?: string; zone?: string } | undefined {
  const match = ISO_TIME.exec(text);
  if (!match) return undefined;
  const [, date, clock, zone] = match;
  const [year, month, day] = date.split('-').map(Number);
  const [hour = 0, minute = 0, second = 0] = (clock ?? '').split(':').filter(Boolean).map(Number);
  const utc = new Date(Date.UTC(year, month - 1, day));
  // PostgreSQL refuses a zone displacement beyond 15:59 ("time zone displacement out of range")
  const [zoneHours = 0, zoneMinutes = 0] = zone && zone.toUpperCase() !== 'Z' ? [Number(zone.slice(1, 3)), Number(zone.slice(3).replace(':', '') || 0)] : [];
  const valid = utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day && hour < 24 && minute < 60 && second < 60
    && zoneHours <= 15 && zoneMinutes < 60;
  return valid ? { date, clock, zone } : undefined;
}

/**
 * A typed comparison of one key column, usable by the snapshot table's key
 * index; "false" when the value cannot be of the column's type (no record has
 * it), null for types (and date/time spellings) compared through the jsonb record key only: json, and the types
 * castRecordKey reads when a key did not go through it.
 */
function typedComparison(alias: string, part: RecordKeyPart, params: SqlParams): string | null {
  const type = baseType(part.type);
  const column = `${alias}.${quoteIdent(part.name)}`;
  // jsonb, a boolean, and a value PostgreSQL read as its column's type (castRecordKey): compared as that type
  if (part.cast !== undefined) {
    const value = params.add(part.text, `::${part.cast}`);
    return part.alternative === undefined ? `${column} = ${value}` : `${column} IN (${value}, ${params.add(part.alternative, `::${part.cast}`)})`;
  }
  const limit = INTEGER_RANGE[type];
  if (limit !== undefined) {
    const digits = part.text.replace(/\.0+$/, ''); // 5.0 is the key 5, as jsonb compares numbers by value
    if (!/^-?\d+$/.test(digits) || BigInt(digits) >= limit || BigInt(digits) < -limit) return 'false';
    return `${column} = ${params.add(digits, `::${type}`)}`;
  }
  if (DECIMAL_TYPES.has(type) && /^(NaN|-?Infinity)$/.test(part.text)) return `${column} = ${params.add(part.text, `::${type === 'decimal' ? 'numeric' : type}`)}`;
  if (FLOAT_TYPES.has(type) && !fitsFloat(part.text, type === 'real' || type === 'float4')) return 'false';
  if (DECIMAL_TYPES.has(type)) return `${column} = ${params.add(part.text, `::${type === 'decimal' ? 'numeric' : type}`)}`;
  if (TEXT_TYPES.has(type)) return `${column} = ${params.add(part.text, '::text')}`;
  // char(n) is snapshotted as text, which drops its padding; the jsonb key kept it
  if (CHAR_TYPES.has(type)) return `${column} = ${params.add(part.text.replace(/ +$/, ''), '::text')}`;
  if (type === 'uuid') return UUID.test(part.text) ? `${column} = ${params.add(part.text, '::uuid')}` : 'false';
  // the jsonb key of a timestamptz is written in the writer's session time zone: the same instant has many
  // texts, so it is matched as a time (other spellings than ISO through the jsonb key, as before)
  const time = TIME_TYPES[type];
  const iso = time ? isoTimeParts(part.text) : undefined;
  if (time && iso) {
    const { date, clock, zone } = iso;
    // a timestamp or date keeps no zone: one given with a zone is matched as written, through the jsonb key
    if (time !== 'timestamptz') return zone ? null : `${column} = ${params.add(part.text, `::${time}`)}`;
    // a timestamptz given without a zone is UTC, as every time the API reads
    return `${column} = ${params.add(`${date}T${clock ?? '00:00:00'}${zone ?? 'Z'}`, '::timestamptz')}`;
  }
  return null;
}

export interface KeyMatchOptions {
  /**
   * The key may name some of the primary-key columns: the rows of every record whose key has those values
   * (the links of one side of a join table). A prefix of the key's columns is served by the key index.
   */
  partial?: boolean;
}

/**
 * One key value compared inside a jsonb key the trigger wrote (`expression`: the record key or the old one), as the
 * typed comparison compares it: numbers by value (jsonb does), a uuid in any case, char(n) with or without its padding,
 * and a timestamptz as an instant (the trigger wrote it in the writing session's time zone).
 */
export function jsonKeyComparison(expression: string, part: RecordKeyPart, params: SqlParams): string {
  const type = baseType(part.type);
  if (type === 'uuid' && !UUID.test(part.text)) return 'false'; // no record has it (and no parameter left unused)
  const field = params.add(part.name, '::text');
  if (type === 'uuid') return `${expression} ->> ${field} = ${params.add(part.text.toLowerCase(), '::text')}`;
  if (CHAR_TYPES.has(type)) return `rtrim(${expression} ->> ${field}, ' ') = ${params.add(part.text.replace(/ +$/, ''), '::text')}`;
  const iso = TIME_TYPES[type] === 'timestamptz' ? isoTimeParts(part.text) : undefined;
  if (iso) {
    // an ISO value only: after a retype, older keys may hold another type's text, which must not fail the cast
    const value = `(${expression} ->> ${field})`;
    const instant = params.add(`${iso.date}T${iso.clock ?? '00:00:00'}${iso.zone ?? 'Z'}`, '::timestamptz');
    return `(CASE WHEN ${value} ~ '^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([+-]\\d{2}(:\\d{2}){0,2})?$' THEN ${value}::timestamptz = ${instant} END)`;
  }
  return `${expression} -> ${field} = ${params.add(part.json, '::jsonb')}`;
}

/**
 * The condition selecting the snapshot rows (alias) of one record: typed
 * equality on its key columns, which the snapshot table's key index
 * (key columns, event id) answers in event order. Key columns of other types
 * (and every key of a table whose key columns changed type) are matched through the
 * jsonb record key the trigger wrote, without an index. (Not both: the
 * planner multiplies their selectivities, expects a handful of rows for a
 * record with thousands of versions and sorts them all for a page.)
 */
export function snapshotKeyCondition(alias: string, table: RegisteredTable, key: unknown, params: SqlParams, parameter = 'key', options: KeyMatchOptions = {}): string {
  const parts = recordKeyParts(table, key, parameter, options);
  // After a key column's type changed, older snapshot rows hold the key only in the renamed column
  // (see history-drift.ts) and in the jsonb key: match through the jsonb key alone (a scan).
  const typed = table.retypedKey ? parts.map(() => null) : parts.map((p) => typedComparison(alias, p, params));
  if (typed.every((c): c is string => c !== null)) return typed.join(' AND ');
  // the columns without a typed comparison (or all of them) through their jsonb value
  return parts.map((p, i) => typed[i] ?? jsonKeyComparison(`${alias}.rowtrail_record_key`, p, params)).join(' AND ');
}

/** The condition selecting the events "d" (rowtrail.event) of one record, for queries that do not read its history table directly. */
export function diffRecordCondition(schema: string, table: RegisteredTable, key: unknown, params: SqlParams, parameter = 'key', options: KeyMatchOptions = {}): string {
  const history = qualified(schema, table.snapshotTable);
  const condition = snapshotKeyCondition('k', table, key, params, parameter, options);
  // A key change away from the key is one of its events too: the record left it (a link moved from tag 2 to tag 3 was
  // removed from tag 2), as the HTTP API's history and the dashboard show it; without it a record export ended as if the
  // record still had the key. Found over the table's key changes (the old-key index holds nothing else).
  const parts = recordKeyParts(table, key, parameter, options);
  // the whole key through the old-key index's equality where it can (oldKeyIsCondition); some of it column by column
  const oldKey = parts.length === table.primaryKey.length ? oldKeyIsCondition('k', table, key, params)
    : `k.rowtrail_old_record_key IS NOT NULL AND ${parts.map((p) => jsonKeyComparison('k.rowtrail_old_record_key', p, params)).join(' AND ')}`;
  const movedAway = ` UNION ALL SELECT k.rowtrail_event_id FROM ${history} k WHERE ${oldKey}`;
  // the table name first: rowtrail.event then reads this table's branch only. = ANY (ARRAY(...)) rather than IN (SELECT ...):
  // the record's ids are read once through its key index and looked up by id, whereas a semi-join lets the planner walk
  // the table's events backwards from the newest until it meets the record's (560 ms for a page of 10 over 300,000 events)
  return `d.table_name = ${params.add(table.table, '::text')} AND d.event_id = ANY (ARRAY(SELECT k.rowtrail_event_id FROM ${history} k WHERE ${condition}${movedAway}))`;
}

// types whose jsonb text the capture may write otherwise than the caller (padding, case, time zone): compared per column
const UNEVEN_TYPES = /^(uuid|character|char|bpchar|timestamptz|timestamp with time zone)$/;

/** History rows "s" whose old key is `key`: through the old-key index's equality on the whole key where jsonb equality is equality of the key. */
export function oldKeyIsCondition(alias: string, table: RegisteredTable, key: unknown, params: SqlParams): string {
  const parts = recordKeyParts(table, key);
  if (!table.retypedKey && parts.every((p) => !UNEVEN_TYPES.test(baseType(p.type)))) {
    return `${alias}.rowtrail_old_record_key = ${params.add(recordKeyJson(table, key), '::jsonb')}`;
  }
  // over the table's key changes only (the partial index on the old key holds nothing else)
  return [`${alias}.rowtrail_old_record_key IS NOT NULL`, ...parts.map((p) => jsonKeyComparison(`${alias}.rowtrail_old_record_key`, p, params))].join(' AND ');
}

