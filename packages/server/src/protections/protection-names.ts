import { identifierName, shortHash } from '../ddl/identifier-name.js';
import { qualified } from '../ddl/quote.js';

/** Prefix of every protection trigger on an application table. */
export const PROTECTION_TRIGGER_PREFIX = 'rowtrail_protect_';

/** Suffixes of a protection's triggers. Triggers of the same timing fire in name order: the guard ("") before "_bump". */
export const TRIGGER_SUFFIXES = ['', '_bump', '_truncate'] as const;
export type TriggerSuffix = (typeof TRIGGER_SUFFIXES)[number];

/** Suffixes of a protection's generated functions. */
export const FUNCTION_SUFFIXES = ['bump', 'soft_delete', 'trigger'] as const;
export type FunctionSuffix = (typeof FUNCTION_SUFFIXES)[number];

const MAX_IDENTIFIER_BYTES = 63;
const NAME_BUDGET = MAX_IDENTIFIER_BYTES - PROTECTION_TRIGGER_PREFIX.length - Math.max(...TRIGGER_SUFFIXES.map((s) => s.length));

/**
 * The protection name as it appears in trigger names. A name too long for
 * every suffix to fit is shortened (with a hash of the whole name) once, so
 * all triggers of a protection share it and keep their order: shortening each
 * trigger name on its own would order them by hash.
 */
function triggerStem(name: string): string {
  if (Buffer.byteLength(name) <= NAME_BUDGET) return name;
  const hash = shortHash(name);
  let head = name;
  while (Buffer.byteLength(head) > NAME_BUDGET - hash.length - 1) head = head.slice(0, -1);
  return `${head}_${hash}`;
}

/** Name of a protection's trigger: rowtrail_protect_<name><suffix>. */
export function protectionTriggerName(name: string, suffix: TriggerSuffix = ''): string {
  return PROTECTION_TRIGGER_PREFIX + triggerStem(name) + suffix;
}

/**
 * Name of a protection's generated function, "schema"."name"(). It carries a
 * hash of the exact table name, so public.sales_order and sales."order" never
 * share a function.
 */
export function protectionFunctionName(rowtrailSchema: string, schema: string, table: string, name: string, suffix: FunctionSuffix): string {
  const stem = schema === 'public' ? table : `${schema}_${table}`;
  return `${qualified(rowtrailSchema, identifierName(stem, name, suffix, shortHash(qualified(schema, table))))}()`;
}
