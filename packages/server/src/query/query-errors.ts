/**
 * Errors the query API raises for input it cannot serve. The HTTP layer maps
 * them to 400/404 answers; they never reach SQL as text.
 */
export class RowtrailQueryError extends Error {
  override name = 'RowtrailQueryError';
  constructor(
    /** HTTP-like status: 400 for bad input, 404 for something that does not exist. */
    readonly status: 400 | 404,
    /** Stable machine-readable code, e.g. "invalid_parameter". */
    readonly code: string,
    message: string,
    /** The request parameter at fault, when there is one. */
    readonly parameter?: string,
  ) {
    super(message);
  }
}

/** A short, safe rendering of a bad value for an error message (a string cut at 60 characters, no object dumped). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 60));
  if (typeof value === 'bigint') return `${value}n`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/** Bad input: 400 naming the parameter. */
export function invalidParameter(parameter: string, message: string): RowtrailQueryError {
  return new RowtrailQueryError(400, 'invalid_parameter', `${parameter}: ${message}`, parameter);
}

/** The table is not tracked by Rowtrail: 404 naming the parameter. */
export function unknownTable(parameter: string, table: string): RowtrailQueryError {
  return new RowtrailQueryError(404, 'unknown_table', `${parameter}: "${table}" is not a tracked table`, parameter);
}

/** A context, event or other object that does not exist. */
export function notFound(message: string, parameter?: string): RowtrailQueryError {
  return new RowtrailQueryError(404, 'not_found', message, parameter);
}

/** Rowtrail is not installed in the schema (the registry is missing). */
export class RowtrailNotInstalledError extends Error {
  override name = 'RowtrailNotInstalledError';
  constructor(readonly schema: string) {
    super(`Rowtrail is not installed in this database: schema "${schema}" has no tracked_table registry (run "rowtrail install" or install() first)`);
  }
}
