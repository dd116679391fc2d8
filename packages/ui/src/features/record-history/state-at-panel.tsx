import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { getState } from '../../api/get-state';
import { ContextLine } from '../../components/context-line';
import { SnapshotView } from '../../components/snapshot-view';
import { ErrorState, Loading } from '../../components/status';
import { useSyncedState } from '../../components/use-synced-state';
import { useKeyLabel } from '../../components/table-columns';
import { formatTime } from '../../lib/format';
import { recordHref } from '../../lib/links';
import { browserTimeZone } from '../../lib/local-time';
import { parseTime, toLocalInput } from '../../lib/route-params';

/**
 * The field shows whole seconds, and so does every time on the page, while events carry microseconds: a time
 * typed to the second means the whole of that second, so the version shown at 05:36:00 is the one at 05:36:00.211.
 */
function wholeSecond(iso: string | null): string | null {
  if (iso === null) return null;
  const time = new Date(iso);
  return time.getUTCMilliseconds() === 0 ? `${time.toISOString().slice(0, 19)}.999999Z` : iso;
}

/** The record as it was at a chosen time. */
export function StateAtPanel({ table, recordKey, at, onChange }: { table: string; recordKey: string; at: string | null; onChange: (at: string | null) => void }) {
  const [value, setValue] = useSyncedState(toLocalInput(at, true)); // follows `at` when the link changes
  const query = useQuery({
    queryKey: ['state', table, recordKey, at],
    queryFn: ({ signal }) => getState(table, recordKey, at!, signal),
    enabled: Boolean(at),
  });
  const keyLabel = useKeyLabel();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(wholeSecond(parseTime(value)));
  };
  return (
    <section className="card state-panel" aria-labelledby="state-title">
      <form className="section-header" onSubmit={submit}>
        <h2 id="state-title">State as of</h2>
        {/* named as it is seen (the heading), with the time zone it is read in, which is shown too */}
        <input type="datetime-local" step="1" aria-label={`State as of (${browserTimeZone()})`} title={`In your time zone, ${browserTimeZone()}`} value={value} onChange={(e) => setValue(e.target.value)} />
        <span className="field-zone" aria-hidden="true">{browserTimeZone()}</span>
        <button type="submit">Show</button>
        {at && <button type="button" className="secondary" onClick={() => { setValue(''); onChange(null); }}>Clear</button>}
      </form>
      {at && (query.isPending ? <Loading label="Loading state…" />
        : query.isError ? <ErrorState error={query.error} onRetry={() => query.refetch()} />
        : !query.data.exists && query.data.event && query.data.event.operation !== 'DELETE' ? (
          <p className="muted">
            On {formatTime(at)} the record no longer had this key: it had changed to{' '}
            <a href={recordHref(table, query.data.event.recordKey)}>{keyLabel(table, query.data.event.recordKey)}</a> in version{' '}
            <a href={recordHref(table, query.data.event.recordKey, { version: query.data.event.eventId })}>#{query.data.event.eventId}</a>.
          </p>
        ) : !query.data.exists || !query.data.event ? (
          <p className="muted">The record did not exist on {formatTime(at)}{query.data.event ? ' (it had been deleted)' : ''}.</p>
        ) : (
          <>
            <p>
              As of {formatTime(at)}: version <a href={recordHref(table, recordKey, { version: query.data.event.eventId })}>#{query.data.event.eventId}</a>{' '}
              <ContextLine context={query.data.event.context} at={query.data.event.createdAt} />
            </p>
            <SnapshotView table={table} snapshot={query.data.event.snapshot} />
          </>
        ))}
    </section>
  );
}
