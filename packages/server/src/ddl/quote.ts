/** Quotes an SQL identifier (always, so case and keywords never surprise). */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('Rowtrail: an SQL identifier cannot be empty');
  if (name.includes('\0')) throw new Error(`Rowtrail: SQL identifier ${JSON.stringify(name)} contains a NUL byte`);
  return '"' + name.replace(/"/g, '""') + '"';
}

/**
 * Quotes an SQL string literal. One holding a backslash is written E'…' with the backslash doubled (as PostgreSQL's
 * quote_literal() does): a plain '…' would read differently in a session with standard_conforming_strings off, and a
 * generated function's body is parsed in the session that runs it.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error(`Rowtrail: SQL literal ${JSON.stringify(value)} contains a NUL byte`);
  const quoted = "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
  return value.includes('\\') ? `E${quoted}` : quoted;
}

/** "schema"."name" */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
