import { describe, expect, it } from 'vitest';
import { historyStart } from './history-start';

describe('historyStart', () => {
  it('calls an INSERT the first version, and says when the record existed before its oldest recorded version', () => {
    expect(historyStart({ operation: 'INSERT', oldRecordKey: null })).toBe('first version reached');
    expect(historyStart({ operation: 'UPDATE', oldRecordKey: { id: 4 } })).toBe('oldest version under this key reached: the record had another key before');
    for (const operation of ['UPDATE', 'DELETE'] as const) {
      expect(historyStart({ operation, oldRecordKey: null })).toMatch(/^oldest recorded version reached: the record existed before its history starts/);
    }
  });
});
