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
    expect(html).toMatch(/<title>[^<]*Dec 1 UTC: 1 insert, 2 updates, 0 deletes<\/title>/);
  });

  it('keeps the tallest bar below the "max" label, so the label is never drawn over a bar', () => {
    const html = renderToStaticMarkup(<Bars buckets={[{ start: '2024-12-01T00:00:00Z', INSERT: 0, UPDATE: 0, DELETE: 0 }, { start: '2024-12-02T00:00:00Z', INSERT: 0, UPDATE: 5, DELETE: 0 }]} bucket="day" />);
    const label = html.match(/<text[^>]* y="(\d+)"[^>]*>max 5<\/text>/);
    expect(label).not.toBeNull();
    const tops = [...html.matchAll(/<rect [^>]*class="bar [^"]*"[^>]*>/g)].map((m) => Number(m[0].match(/ y="([\d.]+)"/)![1]));
    expect(tops).toHaveLength(1);
    expect(Math.min(...tops)).toBeGreaterThan(Number(label![1]));
  });

  it('ends the ticks of the right half at their bucket\'s right edge, so the last label stays inside the chart', () => {
    const buckets = Array.from({ length: 24 }, (_, h) => ({ start: `2024-12-01T${String(h).padStart(2, '0')}:00:00Z`, INSERT: 0, UPDATE: 1, DELETE: 0 }));
    const html = renderToStaticMarkup(<Bars buckets={buckets} bucket="hour" />);
    const ticks = [...html.matchAll(/<text x="([\d.]+)" y="\d+"( text-anchor="end")? class="chart-tick">/g)].map((m) => ({ x: Number(m[1]), end: Boolean(m[2]) }));
    expect(ticks.length).toBeGreaterThan(2);
    expect(ticks[0]).toEqual({ x: 0, end: false });
    const last = ticks[ticks.length - 1];
    expect(last.end).toBe(true);
    expect(last.x).toBeLessThanOrEqual(800);
  });
});
