// The API's buckets are UTC days and hours; a browser west of Greenwich must still label them with their UTC date.
process.env.TZ = 'America/Los_Angeles';

import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Bars, bucketLabel } from './activity-chart';

describe('activity chart labels', () => {
  it('runs in a time zone west of UTC', () => {
    expect(new Date('2024-12-01T00:00:00Z').getTimezoneOffset()).toBe(480);
  });

  it('labels a UTC day bucket with its UTC date, not the local date of its start', () => {
    expect(bucketLabel('2024-12-01T00:00:00Z', 'day', 'en-US')).toBe('Dec 1');
  });

  it('labels a UTC hour bucket with its UTC hour', () => {
    expect(bucketLabel('2024-12-01T03:00:00Z', 'hour', 'en-GB')).toBe('Sun 03:00');
  });

  it('says that the buckets are UTC', () => {
    const html = renderToStaticMarkup(<Bars buckets={[{ start: '2024-12-01T00:00:00Z', INSERT: 1, UPDATE: 2, DELETE: 0 }]} bucket="day" />);
    expect(html).toContain('Events per day (UTC days)');
    expect(html).toMatch(/<title>[^<]*Dec 1 UTC: 1 inserts, 2 updates, 0 deletes<\/title>/);
  });
});
