/** A table named with `--table`, and its columns as read from the catalog. */
export interface IntrospectedTable {
  schema: string;
  table: string;
  columns: readonly { name: string }[];
}

/**
 * Assigns `--exclude` / `--ignore` entries (`table.column` or `schema.table.column`) to the tables named
 * with `--table`, per table as `schema.table` → column names. An entry that names no such table, names two
 * of them, or names a column the table does not have is an error naming the entry: an `--exclude` dropped
 * without a word would record the secret it was meant to keep out of append-only history.
 */
export function assignColumnFlags(flag: '--exclude' | '--ignore' | '--record', entries: readonly string[], tables: readonly IntrospectedTable[]): Map<string, string[]> {
  const assigned = new Map(tables.map((t) => [`${t.schema}.${t.table}`, [] as string[]]));
  for (const entry of entries) {
    const parts = entry.split('.');
    if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
      throw new Error(`${flag} ${entry}: expected "table.column" or "schema.table.column"`);
    }
    const column = parts[parts.length - 1];
    const [schema, table] = parts.length === 3 ? parts : [undefined, parts[0]];
    const matches = tables.filter((t) => t.table === table && (schema === undefined || t.schema === schema));
    const named = tables.map((t) => `${t.schema}.${t.table}`).join(', ') || 'none';
    if (matches.length === 0) throw new Error(`${flag} ${entry}: names no table given with --table (given: ${named})`);
    if (matches.length > 1) throw new Error(`${flag} ${entry}: "${table}" is more than one --table (${matches.map((t) => `${t.schema}.${t.table}`).join(', ')}); write "schema.table.column"`);
    const [target] = matches;
    if (!target.columns.some((c) => c.name === column)) throw new Error(`${flag} ${entry}: ${target.schema}.${target.table} has no column "${column}"`);
    assigned.get(`${target.schema}.${target.table}`)!.push(column);
  }
  return assigned;
}
