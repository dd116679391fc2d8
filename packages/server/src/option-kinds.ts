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
    if (value !== undefined && !kind[0].safeParse(value).success) throw fail(name, `must be ${kind[1]}, got ${describeValue(value)}`);
  }
}

const describeValue = (value: unknown): string =>
  typeof value === 'function' ? 'a function' : (() => { try { return JSON.stringify(value) ?? String(value); } catch { return String(value); } })();

/** An option that takes a function; `what` names it in an error ("a function (request) => boolean"). */
export const functionKind = (what: string) => [z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function'), what] as const;

/** Kinds shared by the functions that take Rowtrail's schema options. */
export const SCHEMA_OPTION_KINDS = {
  schema: [z.string().min(1), 'a schema name (a non-empty string)'],
  snapshotTableName: functionKind('a function ({ schema, table }) => history table name'),
} as const satisfies OptionKinds;
