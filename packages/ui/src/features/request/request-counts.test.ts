import { describe, expect, it } from 'vitest';
import { recordCountLabel, requestProgress } from './request-counts';

describe('request page counts', () => {
  it('counts records in the singular for one', () => {
    expect(recordCountLabel(1, true)).toBe('1 record');
    expect(recordCountLabel(3, true)).toBe('3 records');
  });

  it('does not present the records loaded so far as the total', () => {
    expect(recordCountLabel(197, false)).toBe('197 records so far');
    expect(recordCountLabel(1, false)).toBe('1 record so far');
  });

  it('says how many of the request\'s changes are shown, with the total when the API counted it', () => {
    const shown = { changes: 200, records: 197, tables: 2 };
    expect(requestProgress(shown, false, 1_500)).toBe(`Showing the first 200 of ${(1_500).toLocaleString()} changes, oldest first; more load as you scroll.`);
    expect(requestProgress(shown, false)).toBe('Showing the first 200 changes, oldest first; more load as you scroll.');
    expect(requestProgress(shown, false, 150)).toBe('Showing the first 200 changes, oldest first; more load as you scroll.'); // a stale count is no total
  });

  it('sums up a request shown whole', () => {
    expect(requestProgress({ changes: 3, records: 3, tables: 1 }, true)).toBe('3 changes to 3 records in 1 table.');
    expect(requestProgress({ changes: 1, records: 1, tables: 1 }, true)).toBe('1 change to 1 record in 1 table.');
  });
});
