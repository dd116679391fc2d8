import { plural } from '../../lib/plural';

/**
 * The number of records of one table on the request page. While pages remain to load, the records seen so far are
 * not the table's total (a transaction that inserted 1,500 customers showed "197 records"): it says so.
 */
export function recordCountLabel(records: number, complete: boolean): string {
  return complete ? plural(records, 'record') : `${plural(records, 'record')} so far`;
}

/**
 * The line above the changes: how much of the request is shown. The API gives no total of records, but the total of
 * changes (events) when it was counted; a count lower than what is shown (the request still writing) is not used.
 */
export function requestProgress(shown: { changes: number; records: number; tables: number }, complete: boolean, totalChanges?: number): string {
  if (complete) return `${plural(shown.changes, 'change')} to ${plural(shown.records, 'record')} in ${plural(shown.tables, 'table')}.`;
  const of = totalChanges !== undefined && totalChanges >= shown.changes ? ` of ${plural(totalChanges, 'change')}` : ` ${shown.changes === 1 ? 'change' : 'changes'}`;
  return `Showing the first ${shown.changes.toLocaleString()}${of}, oldest first; more load as you scroll.`;
}
