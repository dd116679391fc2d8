import { z } from 'zod';
import type { EventFilter } from '../query/event-filter.js';
import { OPERATIONS, type Operation } from '../query/event-types.js';
import { DuplicateJsonKeyError, parseJsonInput } from '../query/exact-json.js';
import { invalidParameter } from '../query/query-errors.js';
import { requireSafeText } from '../query/safe-text.js';

/**
 * Query-string validation for the HTTP API (zod). Every failure becomes a 400
 * naming the parameter; values are only shaped here, the query API checks them
 * against the registry.
 */
export type RawQuery = Record<string, string | string[]>;

const META_PREFIX = 'meta.';

/** URLSearchParams → {name: value | values}, keeping repeats as arrays. */
export function rawQuery(search: URLSearchParams): RawQuery {
  const raw: RawQuery = Object.create(null); // no inherited keys: "toString" or "__proto__" are just unknown parameters
  for (const [name, value] of search) {
    const existing = raw[name];
    raw[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return raw;
}

const text = (max = 500) => z.string().max(max, `must be at most ${max} characters`);
// one value or several; as an array either way (a union would report a bad value only as "Invalid input")
const repeatable = (item: z.ZodType<string>) => z.preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(item).max(50, 'given too many times (at most 50)'));
const limit = z.string().regex(/^\d{1,4}$/, 'must be an integer from 1 to 1000').transform(Number)
  .refine((n) => n >= 1 && n <= 1000, 'must be an integer from 1 to 1000');
const jsonObject = text(2000).transform((value, ctx) => {
  try {
    const parsed: unknown = parseJsonInput(value); // a big numeric key keeps its digits; a key given twice is refused
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch (error) {
    if (error instanceof DuplicateJsonKeyError) {
      ctx.addIssue({ code: 'custom', message: `${error.message}: give each column once` });
      return z.NEVER;
    }
  }
  ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"id":5}' });
  return z.NEVER;
});
const operation = z.string().transform((v) => v.toUpperCase())
  .refine((v): v is Operation => (OPERATIONS as readonly string[]).includes(v), `must be one of ${OPERATIONS.join(', ')}`) as unknown as z.ZodType<Operation>;

const filterShape = {
  table: repeatable(text(200)).optional(),
  operation: repeatable(operation as unknown as z.ZodType<string>).optional(),
  user: text().optional(),
  requestId: text().optional(),
  dbUser: text(200).optional(),
  contextId: text(100).optional(),
  recordKey: jsonObject.optional(),
  changed: repeatable(text(200)).optional(),
  from: text(64).optional(),
  to: text(64).optional(),
  after: text(16_000).optional(), // a watermark lists the transactions open when it was taken
};
const page = { limit: limit.optional(), cursor: text(300).optional() };
const recordShape = { table: text(200), key: jsonObject };

export const schemas = {
  none: z.strictObject({}),
  events: z.strictObject({ ...filterShape, ...page }),
  activity: z.strictObject({ ...filterShape, bucket: z.enum(['hour', 'day'], 'must be "hour" or "day"').optional() }),
  history: z.strictObject({ ...recordShape, order: z.enum(['asc', 'desc'], 'must be "asc" or "desc"').optional(), ...page }),
  state: z.strictObject({ ...recordShape, at: text(64) }),
  compare: z.strictObject({ ...recordShape, from: text(40), to: text(40) }),
  context: z.strictObject(page),
  export: z.strictObject({ ...filterShape, key: jsonObject.optional(), format: z.enum(['json', 'ndjson'], 'must be "json" or "ndjson"').optional() }),
};

/** Validates a raw query against a schema; "meta.<key>" parameters are returned apart when allowed. */
export function parseQuery<S extends z.ZodType>(schema: S, raw: RawQuery, options: { meta?: boolean } = {}): z.output<S> & { meta: Record<string, string> } {
  const rest: RawQuery = Object.create(null);
  const meta: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(raw)) {
    requireSafeText(name, 'parameter names');
    for (const item of Array.isArray(value) ? value : [value]) requireSafeText(item, name);
    if (options.meta && name.startsWith(META_PREFIX)) {
      const key = name.slice(META_PREFIX.length);
      if (key.length === 0 || key.length > 100) throw invalidParameter(name, 'a metadata key of 1 to 100 characters must follow "meta."');
      if (Array.isArray(value)) throw invalidParameter(name, 'must be given only once');
      if (value.length > 500) throw invalidParameter(name, 'must be at most 500 characters');
      meta[key] = value;
    } else {
      rest[name] = value;
    }
  }
  const result = schema.safeParse(rest);
  if (result.success) return Object.assign(result.data as object, { meta }) as z.output<S> & { meta: Record<string, string> };
  const issue = result.error.issues[0];
  if (issue.code === 'unrecognized_keys') throw invalidParameter(issue.keys[0], 'unknown parameter');
  const name = String(issue.path[0]);
  const given = rest[name];
  if (given === undefined) throw invalidParameter(name, 'is required');
  if (issue.code === 'invalid_type' && Array.isArray(given)) throw invalidParameter(name, 'must be given only once');
  throw invalidParameter(name, issue.message);
}

/** The EventFilter of parsed filter parameters. */
export function toEventFilter(params: z.output<typeof schemas.activity> & { meta: Record<string, string> }): EventFilter {
  return {
    tables: params.table, operations: params.operation as Operation[] | undefined, user: params.user, requestId: params.requestId, dbUser: params.dbUser,
    contextId: params.contextId, recordKey: params.recordKey, changed: params.changed, from: params.from, to: params.to, after: params.after,
    metadata: Object.keys(params.meta).length ? params.meta : undefined,
  };
}
