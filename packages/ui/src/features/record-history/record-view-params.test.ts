// West of Greenwich: a link's time without offset must still be read as UTC, not as this zone's local time.
process.env.TZ = 'America/Los_Angeles';

import { describe, expect, it } from 'vitest';
import { parseRecordView } from './record-view-params';

const parse = (search: string) => parseRecordView(new URLSearchParams(search));

describe('record page parameters', () => {
  it('reads a valid version, comparison and time', () => {
    expect(parse('version=12&compare=10070,9&at=2026-11-20T10:00:00.000Z')).toEqual({
      view: { version: '12', compare: ['10070', '9'], at: '2026-11-20T10:00:00.000Z' },
      ignored: [],
    });
    expect(parse('')).toEqual({ view: { version: null, compare: [], at: null }, ignored: [] });
  });

  it('drops and reports values that are not version ids or times', () => {
    const { view, ignored } = parse('compare=1,x&at=garbage&version=abc');
    expect(view).toEqual({ version: null, compare: ['1'], at: null });
    expect(ignored.map((p) => [p.name, p.value])).toEqual([['version', 'abc'], ['compare', '1,x'], ['at', 'garbage']]);
  });

  it('reads a time without offset as UTC whatever the viewer\'s zone, and reports one that is no ISO time', () => {
    expect(parse('at=2026-12-01T00:00').view.at).toBe('2026-12-01T00:00:00.000Z');
    expect(parse('at=2026-12-01T05:36:00.999999Z').view.at).toBe('2026-12-01T05:36:00.999999Z');
    expect(parse('at=1').ignored.map((p) => [p.name, p.value])).toEqual([['at', '1']]);
  });

  it('compares at most two versions', () => {
    const { view, ignored } = parse('compare=3,2,1');
    expect(view.compare).toEqual(['3', '2']);
    expect(ignored).toHaveLength(1);
  });
});
