import type { TrackedColumn } from './tracked-table-spec.js';

// Types whose JSON form (to_jsonb, in diffs and whole-row changes) does not depend on the writing session's settings:
// numbers other than floats, text, booleans, date and time types (JSON writes them in ISO form whatever DateStyle says),
// uuid, json, network and bit types, and ranges of numbers. Arrays of them too.
const STABLE_OUTPUT_TYPES = new RegExp(`^(${[
  'smallint', 'integer', 'bigint', 'int2', 'int4', 'int8', 'int', 'numeric', 'decimal', 'boolean', 'bool',
  'text', 'character varying', 'varchar', 'character', 'char', 'bpchar', 'name', 'citext',
  'date', 'time', 'timetz', 'timestamp', 'timestamptz', 'uuid', 'json', 'jsonb',
  'inet', 'cidr', 'macaddr', 'macaddr8', 'bit', 'varbit', 'bit varying', 'oid', 'int4range', 'int8range', 'numrange',
].join('|')})(?![\\w.])`, 'i');

/**
 * Settings a capture function runs under (as `SET` clauses of the function) so that what it records does not depend on
 * the session that writes: with extra_float_digits = 0 a float8 was recorded rounded to 15 digits, with
 * IntervalStyle = sql_standard an interval as "1 2:00:00", with bytea_output = escape a bytea in escape form, and a range
 * of timestamps in the session's DateStyle. Only for tables with a column whose JSON form they change (floats, interval,
 * bytea, time ranges) or may change (domains, composites, enums and extensions' types, whose parts are not known here):
 * each SET clause costs every call of the function.
 */
export function outputSettings(columns: TrackedColumn[]): string {
  const affected = columns.some((c) => c.type.trim() !== '' && !STABLE_OUTPUT_TYPES.test(c.type.trim()));
  return affected ? ` SET extra_float_digits = 1 SET "IntervalStyle" = 'postgres' SET bytea_output = 'hex' SET "DateStyle" = 'ISO, MDY'` : '';
}
