import { useQuery } from '@tanstack/react-query';
import { tablesQuery } from '../../api/get-tables';
import type { TrackedTable } from '../../api/types';
import { isExactNumber, parseExactJson } from '../../lib/exact-json';
import { integerKeyProblem } from '../../lib/integer-key';
import { trackedTableNamed } from './tracked-table';

/** A number as a link may give it for a numeric column: a JSON number, or a string of one ({"id":"5"}, as the API takes it). */
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Why a record link's key (JSON text) cannot be a key of the table: a value its integer column cannot hold (1.5, or
 * 99999999999 for an `integer`), which the API, reading every numeric key as a number, looks up and finds no history
 * for. Null when the key may be one; other mistakes (a column the table does not have, text for a number) the API
 * itself refuses, and the page shows its answer.
 */
export function keyProblem(table: TrackedTable, recordKey: string): string | null {
  let key: unknown;
  try {
    key = parseExactJson(recordKey);
  } catch {
    return null;
  }
  if (!key || typeof key !== 'object' || Array.isArray(key) || isExactNumber(key)) return null;
  for (const [name, value] of Object.entries(key)) {
    const type = table.columns.find((c) => c.name === name)?.type;
    if (!type || !table.primaryKey.includes(name)) continue;
    const text = typeof value === 'number' || isExactNumber(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
    if (!NUMBER.test(text)) continue;
    const problem = integerKeyProblem(name, type, text);
    if (problem) return problem;
  }
  return null;
}

/** keyProblem for the record page's table, once the tracked tables are known (null before, or when they fail to load). */
export function useKeyProblem(table: string, recordKey: string): string | null {
  const tables = useQuery(tablesQuery());
  const tracked = tables.data ? trackedTableNamed(tables.data.tables, table) : undefined;
  return tracked ? keyProblem(tracked, recordKey) : null;
}
