import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../api/types';
import { recordOfVersions, timelineEntries } from './timeline-entries';

const event = (eventId: string, operation: HistoryEvent['operation'], movedAway = false): HistoryEvent => ({
  eventId, table: 'public.customer', recordKey: { id: movedAway ? 60 : 6 }, oldRecordKey: movedAway ? { id: 6 } : null, operation,
  changes: {}, label: null, txid: '1', createdAt: '2024-05-01T12:00:00.000000Z', context: null, snapshot: {}, ...(movedAway ? { movedAway: true as const } : {}),
});

describe('timelineEntries', () => {
  it('tells the records of a reused key apart at each key change away, counting the versions of each', () => {
    const events = [event('5', 'UPDATE'), event('4', 'INSERT'), event('3', 'UPDATE', true), event('2', 'UPDATE'), event('1', 'INSERT')];
    const { entries, last } = timelineEntries(events);
    expect(entries.map((e) => (e.kind === 'version' ? `${e.event.eventId}:${e.record}` : `boundary ${e.event.eventId}`))).toEqual(['5:0', '4:0', 'boundary 3', '2:1', '1:1']);
    expect(entries[2]).toMatchObject({ kind: 'boundary', above: { versions: 2, oldest: events[1] } });
    expect(last).toEqual({ versions: 2, oldest: events[4], movedTo: events[2] });
    expect([...recordOfVersions(entries)]).toEqual([['5', 0], ['4', 0], ['2', 1], ['1', 1]]);
  });

  it('has nothing above a key change away that is the newest entry, and nothing below one with no version under the key', () => {
    const { entries, last } = timelineEntries([event('3', 'UPDATE', true)]);
    expect(entries).toEqual([{ kind: 'boundary', event: expect.objectContaining({ eventId: '3' }), above: { versions: 0, oldest: undefined } }]);
    expect(last).toMatchObject({ versions: 0, oldest: undefined });
  });

  it('is one record without key changes away', () => {
    const events = [event('2', 'UPDATE'), event('1', 'INSERT')];
    expect(timelineEntries(events).last).toEqual({ versions: 2, oldest: events[1], movedTo: undefined });
  });
});
