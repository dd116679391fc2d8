import { identifierName } from './identifier-name.js';

/**
 * The history column a retype (lifecycle.md) renames a recorded column's older values to: "<column>__<its type, as a
 * slug>", "_2" on when that is taken, fitted to 63 bytes as every generated name is (a long one ends in a hash).
 */
export function retypeArchiveName(column: string, type: string, n = 1): string {
  const slug = type.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '').toLowerCase();
  return identifierName(n === 1 ? `${column}__${slug}` : `${column}__${slug}_${n}`);
}

/**
 * Whether a history column (its name and type as format_type() gives it) is where a retype of `column` keeps older
 * values. The suffix counts up only while names are taken, so it stays at most one above the number of history
 * columns.
 */
export function isRetypeArchive(column: string, history: { name: string; type: string }, historyColumnCount: number): boolean {
  for (let n = 1; n <= historyColumnCount + 1; n++) {
    if (retypeArchiveName(column, history.type, n) === history.name) return true;
  }
  return false;
}
