import type { DiffEvent } from '../../api/types';

/**
 * What the end of a record's timeline says about where its history starts, from its oldest version. An INSERT is the
 * record's creation. Anything else means the record existed before its first recorded version: under another key (a
 * key change, listed under the new key), or before its table was tracked or before older history was trimmed
 * (`rowtrail trim-history`), so support staff do not take the oldest version shown for the record's beginning.
 */
export function historyStart(oldest: Pick<DiffEvent, 'operation' | 'oldRecordKey'>): string {
  if (oldest.operation === 'INSERT') return 'first version reached';
  if (oldest.oldRecordKey) return 'oldest version under this key reached: the record had another key before';
  return 'oldest recorded version reached: the record existed before its history starts (its table was tracked later, or older history was trimmed)';
}
