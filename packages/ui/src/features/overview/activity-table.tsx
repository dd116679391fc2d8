import type { ActivityBucket } from '../../api/get-activity';

/** A bucket's full UTC label for the table ("Tue, Dec 1, 03:00"): unlike an axis tick it must stand alone. */
export function bucketRowLabel(start: string, bucket: 'hour' | 'day', locale?: string): string {
  const d = new Date(start);
  return bucket === 'day'
    ? d.toLocaleDateString(locale, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' })
    : d.toLocaleString(locale, { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
}

/**
 * The chart's numbers as a table, behind a disclosure: the bars' tooltips reach neither the keyboard nor a screen
 * reader (the SVG is one image), this does. Only buckets with changes are listed, as the API gives them; a week of
 * hours would otherwise be 168 rows, mostly zeros.
 */
export function ActivityTable({ buckets, bucket }: { buckets: ActivityBucket[]; bucket: 'hour' | 'day' }) {
  const unit = bucket === 'day' ? 'Day' : 'Hour';
  return (
    <details className="chart-data">
      <summary>Show the numbers as a table</summary>
      <table className="chart-table">
        <caption>Changes per {bucket} ({bucket === 'day' ? 'UTC days' : 'UTC hours'}); {bucket}s without changes are not listed.</caption>
        <thead>
          <tr><th scope="col">{unit} (UTC)</th><th scope="col">Inserts</th><th scope="col">Updates</th><th scope="col">Deletes</th><th scope="col">Total</th></tr>
        </thead>
        <tbody>
          {buckets.filter((b) => b.INSERT + b.UPDATE + b.DELETE > 0).map((b) => (
            <tr key={b.start}>
              <th scope="row"><time dateTime={b.start}>{bucketRowLabel(b.start, bucket)}</time></th>
              <td>{b.INSERT.toLocaleString()}</td>
              <td>{b.UPDATE.toLocaleString()}</td>
              <td>{b.DELETE.toLocaleString()}</td>
              <td>{(b.INSERT + b.UPDATE + b.DELETE).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
