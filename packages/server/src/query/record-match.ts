import { qualified, quoteIdent } from '../ddl/quote.js';
import type { SqlParams } from './event-sql.js';
import { recordKeyParts, type RecordKeyPart } from './record-key.js';
import type { RegisteredTable } from './tracked-table-registry.js';

const INTEGER_RANGE: Record<string, bigint> = { smallint: 2n ** 15n, int2: 2n ** 15n, integer: 2n ** 31n, int: 2n ** 31n, int4: 2n ** 31n, bigint: 2n ** 63n, int8: 2n ** 63n };
const DECIMAL_TYPES = new Set(['numeric', 'real', 'double precision', 'float4', 'float8']);
const TEXT_TYPES = new Set(['text', 'character varying', 'varchar']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A typed comparison of one key column, usable by the snapshot table's key
 * index; "false" when the value cannot be of the column's type (no record has
 * it), null for types compared through the jsonb record key only.
 */
function typedComparison(alias: string, part: RecordKeyPart, params: SqlParams): string | null {
  const type = part.type.trim().toLowerCase();
  const column = `${alias}.${quoteIdent(part.name)}`;
  const limit = INTEGER_RANGE[type];
  if (limit !== undefined) {
    if (!/^-?\d+$/.test(part.text) || BigInt(part.text) >= limit || BigInt(part.text) < -limit) return 'false';
    return `${column} = ${params.add(part.text, `::${type}`)}`;
  }
  if (DECIMAL_TYPES.has(type)) return `${column} = ${params.add(part.text, `::${type}`)}`;
  if (TEXT_TYPES.has(type)) return `${column} = ${params.add(part.text, '::text')}`;
  if (type === 'uuid') return UUID.test(part.text) ? `${column} = ${params.add(part.text, '::uuid')}` : 'false';
  return null;
}

/**
 * The condition selecting the snapshot rows (alias) of one record: typed
 * equality on its key columns, which the snapshot table's key index
 * (key columns, event id) answers in event order. Key columns of other types
 * are matched through the jsonb record key the trigger wrote. (Not both: the
 * planner multiplies their selectivities, expects a handful of rows for a
 * record with thousands of versions and sorts them all for a page.)
 */
export function snapshotKeyCondition(alias: string, table: RegisteredTable, key: unknown, params: SqlParams, parameter = 'key'): string {
  const parts = recordKeyParts(table, key, parameter);
  const typed = parts.map((p) => typedComparison(alias, p, params));
  if (typed.every((c): c is string => c !== null)) return typed.join(' AND ');
  const json = `{${parts.map((p) => `${JSON.stringify(p.name)}:${p.json}`).join(',')}}`;
  return [...typed.filter((c): c is string => c !== null), `${alias}.rowtrail_record_key = ${params.add(json, '::jsonb')}`].join(' AND ');
}

/** The condition selecting the diff rows "d" of one record, for queries that do not join its snapshot. */
export function diffRecordCondition(schema: string, table: RegisteredTable, key: unknown, params: SqlParams, parameter = 'key'): string {
  const condition = snapshotKeyCondition('k', table, key, params, parameter);
  return `d.event_id IN (SELECT k.rowtrail_event_id FROM ${qualified(schema, table.snapshotTable)} k WHERE ${condition})`;
}
