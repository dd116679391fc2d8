import { z } from 'zod';
import { checkOptions, functionKind as fn, type OptionKinds } from '../option-kinds.js';

const pool = (what: string) => [z.custom<object>((v) => typeof v === 'object' && v !== null && typeof (v as { query?: unknown }).query === 'function'), what] as const;

/** The options of the HTTP API (ApiOptions), by name. */
export const API_OPTION_KINDS = {
  pool: pool('a pg.Pool'),
  schema: [z.string().min(1), 'a schema name (a non-empty string)'],
  authorize: fn('a function (request) => boolean or a promise of one'),
  token: [z.string(), 'a string'],
  linkSecret: [z.string(), 'a string'],
  exportPool: pool('a pg.Pool'),
  maxConcurrentExports: [z.number(), 'a number'],
  maxExportSeconds: [z.number(), 'a number'],
  onError: fn('a function (error) => void'),
} as const satisfies OptionKinds;

/** The dashboard option of the Express router and the Fastify plugin. */
export const DASHBOARD_OPTION_KINDS = {
  dashboard: [z.union([z.boolean(), z.string()]), 'true, false or the directory of a dashboard build'],
} as const satisfies OptionKinds;

/**
 * Refuses an option the API does not take (a misspelt `authorise` would otherwise leave the token check in place or
 * the API unusable, a misspelt `linkSecret` links that other servers refuse) or a value of the wrong kind, naming it.
 */
export function checkApiOptions(options: unknown, fnName: string, more: OptionKinds = {}): void {
  checkOptions(options, { ...API_OPTION_KINDS, ...more }, (name, reason) => new Error(`Rowtrail: ${fnName}: ${name}: ${reason}`));
}
