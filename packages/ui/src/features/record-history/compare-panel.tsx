import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { getCompare } from '../../api/get-compare';
import { ContextLine } from '../../components/context-line';
import { useColumnNulls } from '../../components/column-nulls';
import { useColumnOrder } from '../../components/table-columns';
import { ErrorState, Loading } from '../../components/status';
import { ValueChange } from '../../components/value-change';
import { inColumnOrder } from '../../lib/format';
import { currentArrival } from '../../lib/scroll-memory';
import { byEventId } from './event-id-order';

/** The differences between two versions of the record. */
export function ComparePanel({ table, recordKey, ids, onClose }: { table: string; recordKey: string; ids: [string, string]; onClose: () => void }) {
  const [from, to] = [...ids].sort(byEventId);
  const query = useQuery({
    queryKey: ['compare', table, recordKey, from, to],
    queryFn: ({ signal }) => getCompare(table, recordKey, from, to, signal),
  });
  const nullsOf = useColumnNulls(table);
  const { columns } = useColumnOrder(table);
  const heading = useRef<HTMLHeadingElement | null>(null);
  useEffect(() => {
    // Back or Forward to a comparison: the page returns to where the user was, and focus to the link they followed.
    // Loaded as the first page (a reload too), the comparison takes the view and focus, as a link to it does.
    const arrival = currentArrival();
    if (arrival.saved && arrival.inApp) return;
    if (arrival.saved) arrival.done = true;
    // Bring the comparison into view: the second version is usually ticked far down the timeline.
    heading.current?.scrollIntoView({ block: 'center' });
    heading.current?.focus({ preventScroll: true });
  }, [from, to]);
  return (
    // Escape closes it as Close does (focus back on the checkbox ticked last), from anywhere inside the panel.
    <section className="card compare-panel" aria-labelledby="compare-title" onKeyDown={(event) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      onClose();
    }}>
      <header className="section-header">
        <h2 id="compare-title" ref={heading} tabIndex={-1}>Comparing #{from} → #{to}</h2>
        <button type="button" className="secondary" onClick={onClose} aria-keyshortcuts="Escape">Close</button>
      </header>
      {query.isPending ? <Loading label="Comparing…" />
        : query.isError ? <ErrorState error={query.error} onRetry={() => query.refetch()} />
        : (
          <>
            <p className="compare-sides">
              {/* labelled, so the two sides stay apart when a narrow screen wraps them onto one another */}
              <span><strong className="compare-side">From</strong> #{query.data.from.eventId} <ContextLine context={query.data.from.context} at={query.data.from.createdAt} /></span>
              <span><strong className="compare-side">To</strong> #{query.data.to.eventId} <ContextLine context={query.data.to.context} at={query.data.to.createdAt} /></span>
            </p>
            {Object.keys(query.data.changes).length === 0
              ? <p className="muted">These versions are identical.</p>
              : <div className="changes">{inColumnOrder(query.data.changes, columns).map(([column, [old, next]]) => <ValueChange key={column} column={column} old={old} next={next} nulls={nullsOf(column)} />)}</div>}
          </>
        )}
    </section>
  );
}
