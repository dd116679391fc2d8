/** Quotes an SQL identifier (always, so case and keywords never surprise). */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('Rowtrail: an SQL identifier cannot be empty');
  if (name.includes('\0')) throw new Error(`Rowtrail: SQL identifier ${JSON.stringify(name)} contains a NUL byte`);
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Quotes an SQL string literal. Standard-conforming strings are assumed (the default since PostgreSQL 9.1). */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error(`Rowtrail: SQL literal ${JSON.stringify(value)} contains a NUL byte`);
  return "'" + value.replace(/'/g, "''") + "'";
}

/** "schema"."name" */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
