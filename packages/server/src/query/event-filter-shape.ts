import { z } from 'zod';
import type { EventFilter } from './event-filter.js';
import { describeValue, invalidParameter } from './query-errors.js';

/**
 * The shape of an EventFilter given in code. TypeScript checks it at compile time only: a JavaScript caller, or one
 * building a filter from untyped input, could pass `tables: 'note'` (which failed deep inside with a TypeError) or a
 * misspelt field such as `table` (which was ignored: the export held every event). Values are checked against the
 * registry and the database later; this only says what kind of value each field takes.
 */
// any Date, an invalid one too: requireInstant() then says it is invalid (z.date() refuses it as not being a Date)
const time = z.union([z.custom<Date>((v) => v instanceof Date), z.string()]);
const plainObject = z.custom<Record<string, unknown>>((v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date));
const fields = {
  tables: [z.array(z.string()), 'an array of table names such as ["public.account"]'],
  operations: [z.array(z.string()), 'an array of "INSERT", "UPDATE" and "DELETE"'],
  user: [z.union([z.string(), z.number()]), 'a string or a number'],
  requestId: [z.string(), 'a string'],
  dbUser: [z.string(), 'a string: a database user name'],
  contextId: [z.string(), 'a UUID string'],
  metadata: [z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), 'an object of strings such as {"tenant": "acme"}'],
  recordKey: [plainObject, 'an object of key columns such as {"id": 5}'],
  changed: [z.array(z.string()), 'an array of column names such as ["email"]'],
  from: [time, 'a Date or an ISO 8601 string'],
  to: [time, 'a Date or an ISO 8601 string'],
  after: [z.string(), 'a string: a watermark is the "watermark" of an earlier export\'s header, such as "742:745:743"'],
} as const satisfies Record<keyof EventFilter, readonly [z.ZodType, string]>;

const FIELD_NAMES = Object.keys(fields) as (keyof EventFilter)[];

/** The filter when each field has the kind of value it takes (absent or undefined is fine), else a 400 naming the field. */
export function requireEventFilter(filter: unknown, parameter = 'filter'): EventFilter {
  if (filter === undefined) return {};
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) throw invalidParameter(parameter, `must be an object of filter fields, got ${describeValue(filter)}`);
  for (const [name, value] of Object.entries(filter)) {
    const field = fields[name as keyof EventFilter];
    if (!field) throw invalidParameter(name, `is not a filter field (those are ${FIELD_NAMES.join(', ')})`);
    if (value !== undefined && !field[0].safeParse(value).success) throw invalidParameter(name, `must be ${field[1]}, got ${describeValue(value)}`);
  }
  return filter as EventFilter;
}
