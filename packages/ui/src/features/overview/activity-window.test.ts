import { describe, expect, it } from 'vitest';
import { chartWindow } from './activity-window';

const now = Date.parse('2026-12-08T10:20:00Z');

describe('the activity chart window', () => {
  it('is the chosen range, ending with the current hour, without a time filter', () => {
    expect(chartWindow({}, '7d', now)).toEqual({ from: '2026-12-01T11:00:00.000Z', to: '2026-12-08T11:00:00.000Z', bucket: 'hour', source: 'range', endsNow: true });
    expect(chartWindow({}, '30d', now)).toMatchObject({ bucket: 'day', source: 'range' });
  });

  it('is the feed\'s From–To window when it has a From filter, whatever the range says', () => {
    const filters = { from: '2026-12-01T00:00:00.000Z', to: '2026-12-01T06:00:00.000Z' };
    expect(chartWindow(filters, '30d', now)).toEqual({ ...filters, bucket: 'hour', source: 'filter', endsNow: false });
    expect(chartWindow({ from: '2026-12-07T00:00:00.000Z' }, '24h', now)).toEqual({ from: '2026-12-07T00:00:00.000Z', to: '2026-12-08T11:00:00.000Z', bucket: 'hour', source: 'filter', endsNow: true });
  });

  it('draws a filter window longer than a week per day, so it never has thousands of hourly bars', () => {
    expect(chartWindow({ from: '2026-10-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }, '24h', now).bucket).toBe('day');
    expect(chartWindow({ from: '2026-11-24T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }, '24h', now).bucket).toBe('hour');
  });

  it('takes the range\'s length up to the To filter when there is no From filter', () => {
    expect(chartWindow({ to: '2026-12-01T06:00:00.000Z' }, '24h', now)).toEqual({ from: '2026-11-30T06:00:00.000Z', to: '2026-12-01T06:00:00.000Z', bucket: 'hour', source: 'to', endsNow: false });
  });
});
