import { useInfiniteQuery } from '@tanstack/react-query';
import { getEvents } from '../../api/get-events';
import type { DiffEvent, EventFilters } from '../../api/types';
import { ContextLine } from '../../components/context-line';
import { EventChanges } from '../../components/event-changes';
import { OldKeyLink } from '../../components/old-key-link';
import { OperationBadge } from '../../components/operation-badge';
import { Empty, ErrorState, Loading } from '../../components/status';
import { useNextPageOnScroll } from '../../components/use-load-more';
import { useKeyLabel } from '../../components/table-columns';
import { shortTable } from '../../lib/format';
import { recordHref } from '../../lib/links';
import { useScrollRestoration } from '../../lib/use-scroll-restoration';
import { CHANGED_UPDATES_ONLY } from './feed-filters';
import { FeedRowSummary } from './feed-row-summary';

const PAGE = 50;

function FeedItem({ event, keyLabel }: { event: DiffEvent; keyLabel: (table: string, key: Record<string, unknown>) => string }) {
  return (
    <li className="feed-item card" data-event-id={event.eventId}>
      <div className="feed-head">
        <OperationBadge operation={event.operation} />
        <a className="record-link" href={recordHref(event.table, event.recordKeyText ?? event.recordKey, { version: event.eventId })}>
          {shortTable(event.table)} <span className="key">{keyLabel(event.table, event.recordKey)}</span>
        </a>
        <ContextLine context={event.context} at={event.createdAt} />
        {/* an update of the primary key: the versions before it are under the old key, as on the record page */}
        {event.oldRecordKey && <OldKeyLink table={event.table} oldKey={event.oldRecordKey} />}
      </div>
      {event.operation === 'UPDATE'
        ? <EventChanges event={event} />
        : <FeedRowSummary event={event} />}
    </li>
  );
}

/** The recent changes matching the filters, newest first, loading more on scroll. */
export function ActivityFeed({ filters }: { filters: EventFilters }) {
  const query = useInfiniteQuery({
    queryKey: ['events', filters],
    queryFn: ({ pageParam, signal }) => getEvents(filters, pageParam, PAGE, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const { hasNextPage, isFetchingNextPage } = query;
  const { sentinel, loadMore } = useNextPageOnScroll(query);
  const keyLabel = useKeyLabel(); // key parts in the order of each table's primary key
  // Back from a record opened far down the feed returns there, once the feed's items are rendered again (from the
  // cache, or loaded page by page when the cache has let them go).
  useScrollRestoration({ ready: query.isSuccess, canLoadMore: hasNextPage, loading: isFetchingNextPage, loadMore });

  if (query.isPending) return <Loading label="Loading activity…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  const events = query.data.pages.flatMap((p) => p.events);
  if (events.length === 0) {
    // Changed with insert or delete alone: not a quiet history, a combination that cannot match
    const updatesExcluded = Boolean(filters.changed?.length && filters.operation?.length && !filters.operation.includes('UPDATE'));
    return <Empty>No changes match these filters.{updatesExcluded && ` ${CHANGED_UPDATES_ONLY} Choose update, or remove Changed.`}</Empty>;
  }
  return (
    <>
      <ol className="feed" aria-label="Recent changes">
        {events.map((event) => <FeedItem key={event.eventId} event={event} keyLabel={keyLabel} />)}
      </ol>
      <div ref={sentinel} className="feed-end">
        {isFetchingNextPage ? <Loading label="Loading more…" />
          : hasNextPage ? <button type="button" className="secondary" onClick={loadMore}>Load more</button>
          : <span className="muted">End of the feed.</span>}
      </div>
    </>
  );
}
