import { z } from 'zod';

/** Each option's schema, and how to name the values it takes in an error ("a string"). */
export type OptionKinds = Record<string, readonly [z.ZodType, string]>;

/**
 * Checks an options object against the options a function takes: an unknown name (a misspelt `exclud`, which would
 * leave a secret column recorded) or a value of the wrong kind is refused through `fail`, naming it. Undefined
 * values count as not given.
 */
export function checkOptions(options: unknown, kinds: OptionKinds, fail: (name: string, reason: string) => Error): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw fail('options', 'must be an object');
  for (const [name, value] of Object.entries(options)) {
    const kind = Object.hasOwn(kinds, name) ? kinds[name] : undefined;
    if (!kind) throw fail(name, `is not an option (those are ${Object.keys(kinds).join(', ')})`);
    if (value !== undefined && !kind[0].safeParse(value).success) throw fail(name, `must be ${kind[1]}, got ${describeOption(name, value, kind[0])}`);
  }
}

// Options whose values are secrets (or may hold one: a connection string given as a pool): an error names their kind only.
const SECRET_OPTIONS = new Set(['token', 'linkSecret', 'pool', 'exportPool', 'streamPool', 'password', 'connectionString']);

/**
 * A bad option's value for an error message, which logs keep: a short string or a scalar as it is, never an object's
 * contents (a Buffer read from a secret file would print the secret's bytes) nor a secret option's value.
 */
function describeOption(name: string, value: unknown, schema: z.ZodType): string {
  if (typeof value === 'function') return 'a function';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') {
    const type = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof type === 'string' && type !== '' && type !== 'Object' ? `an object (${type})` : 'an object';
  }
  if (typeof value === 'string') {
    // a string where a function or an object belongs (authorize, onError, a pool) may be a secret given to the wrong
    // option (`authorize: process.env.API_TOKEN`): shown only for options that take plain values, and not for secret ones
    const takesValues = schema instanceof z.ZodEnum || ['x', 1, true, []].some((sample) => schema.safeParse(sample).success);
    if (SECRET_OPTIONS.has(name) || !takesValues) return value === '' ? 'an empty string' : `a string of ${value.length} character${value.length === 1 ? '' : 's'} (not shown)`;
    return value.length > 60 ? `${JSON.stringify(value.slice(0, 60))}… (${value.length} characters)` : JSON.stringify(value);
  }
  if (SECRET_OPTIONS.has(name)) return `a ${typeof value}`;
  return typeof value === 'bigint' ? `${value}n` : String(value);
}

/** An option that takes a function; `what` names it in an error ("a function (request) => boolean"). */
export const functionKind = (what: string) => [z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function'), what] as const;

/** Kinds shared by the functions that take Rowtrail's schema options. */
export const SCHEMA_OPTION_KINDS = {
  schema: [z.string().min(1), 'a schema name (a non-empty string)'],
  snapshotTableName: functionKind('a function ({ schema, table }) => history table name'),
} as const satisfies OptionKinds;

/** An option that takes true or false. */
export const FLAG_KIND = [z.boolean(), 'true or false'] as const;
/** The protections option of install(), status() and planMigration(). */
export const PROTECTIONS_KIND = [z.array(z.object({ schema: z.string(), table: z.string() }).passthrough()), 'an array of protected tables ({ schema, table, primaryKey, protections })'] as const;

/**
 * Refuses an unknown option (a misspelt `shcema` would install into, or prune and uninstall, the default "rowtrail"
 * schema) or a value of the wrong kind, naming the function and the option.
 */
export function requireSchemaOptions(options: unknown, fn: string, more: OptionKinds = {}): void {
  requireOptions(options, fn, { ...SCHEMA_OPTION_KINDS, ...more });
}

/** checkOptions() with Rowtrail's error naming the function (`Rowtrail: uninstall: shcema: is not an option …`). */
export function requireOptions(options: unknown, fn: string, kinds: OptionKinds): void {
  checkOptions(options, kinds, (name, reason) => new Error(`Rowtrail: ${fn}: ${name}: ${reason}`));
}

