// The API's buckets are UTC days and hours; a browser west of Greenwich must still label them with their UTC date.
process.env.TZ = 'America/Los_Angeles';

import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Bars, bucketLabel, chartWidth } from './activity-chart';
import { axisTicks, estimatedLabelWidth, TICK_GAP } from './axis-ticks';

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

  it('aligns every tick alike, at its bucket\'s left edge, and keeps the last label inside the chart', () => {
    const buckets = Array.from({ length: 24 }, (_, h) => ({ start: `2024-12-01T${String(h).padStart(2, '0')}:00:00Z`, INSERT: 0, UPDATE: 1, DELETE: 0 }));
    const html = renderToStaticMarkup(<Bars buckets={buckets} bucket="hour" />);
    const ticks = [...html.matchAll(/<text data-tick="" x="([\d.]+)" y="\d+"( text-anchor="\w+")? class="chart-tick">([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), anchor: m[2], label: m[3] }));
    expect(ticks.length).toBeGreaterThan(2);
    expect(ticks[0]).toMatchObject({ x: 0, anchor: undefined });
    expect(ticks.every((t) => t.anchor === undefined)).toBe(true);
    const last = ticks[ticks.length - 1];
    expect(last.x + estimatedLabelWidth(last.label)).toBeLessThanOrEqual(800);
  });
});

describe('activity chart on a narrow screen', () => {
  it('is drawn in units of the width it is drawn at, up to 800, so its labels keep their size', () => {
    expect(chartWidth(340)).toBe(340);
    expect(chartWidth(1150)).toBe(800); // wide: the 800-unit chart scales up, as before
    expect(chartWidth(0)).toBe(800); // not laid out
  });

  it('fits fewer labels into a narrow chart, none past its edge', () => {
    const buckets = Array.from({ length: 24 }, (_, h) => ({ start: `2024-12-01T${String(h).padStart(2, '0')}:00:00Z`, INSERT: 0, UPDATE: 1, DELETE: 0 }));
    const ticksOf = (html: string) => [...html.matchAll(/<text data-tick="" x="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), label: m[2] }));
    const wide = renderToStaticMarkup(<Bars buckets={buckets} bucket="hour" />);
    const narrow = renderToStaticMarkup(<Bars buckets={buckets} bucket="hour" drawnWidth={340} />);
    expect(narrow).toContain('viewBox="0 0 340 180"');
    expect(ticksOf(narrow).length).toBeLessThan(ticksOf(wide).length);
    expect(ticksOf(narrow).length).toBeGreaterThanOrEqual(2);
    for (const t of ticksOf(narrow)) expect(t.x + estimatedLabelWidth(t.label)).toBeLessThanOrEqual(340);
  });
});

describe('axis ticks', () => {
  const hours = (count: number) => Array.from({ length: count }, (_, i) => bucketLabel(new Date(Date.UTC(2026, 10, 26, 18) + i * 3_600_000).toISOString(), 'hour', 'en-US'));
  /** The ticks' estimated boxes never touch, with the gap between them, and stay inside the chart. */
  const expectApart = (ticks: ReturnType<typeof axisTicks>) => {
    for (let i = 1; i < ticks.length; i++) expect(ticks[i].x).toBeGreaterThanOrEqual(ticks[i - 1].x + estimatedLabelWidth(ticks[i - 1].label) + TICK_GAP);
    for (const t of ticks) expect(t.x + estimatedLabelWidth(t.label)).toBeLessThanOrEqual(800);
  };

  it('spaces the labels of 7 days of hours (169 buckets) apart, "Mon 14:00" clear of the next', () => {
    const ticks = axisTicks(hours(169), 800);
    expect(ticks.length).toBeGreaterThanOrEqual(6);
    expectApart(ticks);
  });

  it('keeps labels apart however many buckets there are, leaving out those that would not fit', () => {
    for (const count of [1, 2, 6, 24, 25, 48, 100, 169, 170, 500, 2000]) expectApart(axisTicks(hours(count), 800));
    expect(axisTicks(hours(24), 800).map((t) => t.index)).toEqual([0, 3, 6, 9, 12, 15, 18, 21]);
    expect(axisTicks(['a very long label that cannot fit anywhere in a narrow chart'], 100)).toEqual([]);
  });
});
