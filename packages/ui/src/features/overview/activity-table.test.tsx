// The buckets are UTC: a browser west of Greenwich must still list them under their UTC date and hour.
process.env.TZ = 'America/Los_Angeles';

import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ActivityTable, bucketRowLabel } from './activity-table';

describe('the activity chart\'s numbers as a table', () => {
  it('labels each row with its full UTC date and hour', () => {
    expect(bucketRowLabel('2024-12-01T03:00:00Z', 'hour', 'en-GB')).toBe('Sun 1 Dec, 03:00');
    expect(bucketRowLabel('2024-12-01T00:00:00Z', 'day', 'en-US')).toBe('Sun, Dec 1, 2024');
  });

  it('lists every bucket with changes, with a header row and the counts of each operation', () => {
    const html = renderToStaticMarkup(<ActivityTable bucket="hour" buckets={[
      { start: '2024-12-01T03:00:00Z', INSERT: 1, UPDATE: 2, DELETE: 0 },
      { start: '2024-12-01T04:00:00Z', INSERT: 0, UPDATE: 0, DELETE: 0 },
      { start: '2024-12-01T05:00:00Z', INSERT: 0, UPDATE: 1200, DELETE: 3 },
    ]} />);
    expect(html).toMatch(/^<details class="chart-data"><summary>Show the numbers as a table<\/summary><table/);
    expect(html).toContain('<caption>Changes per hour (UTC hours); hours without changes are not listed.</caption>');
    expect(html).toContain('<th scope="col">Hour (UTC)</th><th scope="col">Inserts</th><th scope="col">Updates</th><th scope="col">Deletes</th><th scope="col">Total</th>');
    const rows = [...html.matchAll(/<tr><th scope="row"><time dateTime="([^"]+)">[^<]+<\/time><\/th>((?:<td>[^<]*<\/td>)+)<\/tr>/g)]
      .map((m) => [m[1], m[2].replace(/<\/?td>/g, ' ').trim().split(/\s+/)]);
    expect(rows).toEqual([['2024-12-01T03:00:00Z', ['1', '2', '0', '3']], ['2024-12-01T05:00:00Z', ['0', '1,200', '3', '1,203']]]);
  });
});
