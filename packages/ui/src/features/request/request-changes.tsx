import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { getContext } from '../../api/get-context';
import { getContextEventCount } from '../../api/get-context-event-count';
import type { Context, DiffEvent } from '../../api/types';
import { EventChanges } from '../../components/event-changes';
import { EventTime } from '../../components/event-time';
import { OldKeyLink } from '../../components/old-key-link';
import { OperationBadge } from '../../components/operation-badge';
import { Empty, ErrorState, Loading } from '../../components/status';
import { useNextPageOnScroll } from '../../components/use-load-more';
import { usePageTitle } from '../../components/use-page-title';
import { useKeyLabel } from '../../components/table-columns';
import { WhoText } from '../../components/who';
import { contextKind, contextTitle, formatTime, hasApplicationContext, shortTable } from '../../lib/format';
import { parseExactJson, stringifyExactJson } from '../../lib/exact-json';
import { recordHref } from '../../lib/links';
import { useScrollRestoration } from '../../lib/use-scroll-restoration';
import { changesSpanTime } from './change-times';
import { recordCountLabel, requestProgress } from './request-counts';
import { isRequestNotFound, RequestNotFound } from './request-not-found';

const PAGE = 200;

/** table → record key (JSON) → events, in the order they happened. */
function groupEvents(events: DiffEvent[]): Map<string, Map<string, DiffEvent[]>> {
  const groups = new Map<string, Map<string, DiffEvent[]>>();
  for (const event of events) {
    const records = groups.get(event.table) ?? new Map<string, DiffEvent[]>();
    groups.set(event.table, records);
    const key = event.recordKeyText ?? stringifyExactJson(event.recordKey); // exact digits of big numeric keys
    records.set(key, [...(records.get(key) ?? []), event]);
  }
  return groups;
}

/** What the request's header says it was: a request (by its id), another application context (a job), or neither. */
export function RequestTitle({ context }: { context: Context }) {
  // Same words as lib/format's contextTitle, which links to this page use.
  const kind = contextKind(context);
  if (kind === 'request') return <>Request <span className="key">{context.requestId}</span></>;
  if (kind === 'context') return <>Changes made in context <span className="key">{context.id}</span></>;
  return <>Transaction without application context</>;
}

/** The request's facts. `ownTimes`: its changes were not all made at its time, and each shows its own. */
export function ContextFacts({ context, ownTimes = false }: { context: Context; ownTimes?: boolean }) {
  const extra = Object.fromEntries(Object.entries(context.metadata).filter(([k]) => !['user', 'requestId', 'method', 'url'].includes(k)));
  return (
    <dl className="facts card">
      <dt>User</dt><dd><WhoText context={context} /></dd>
      <dt>Request</dt><dd>{context.requestId ?? <span className="muted">{hasApplicationContext(context) ? 'none' : 'none (written without application context)'}</span>}</dd>
      <dt>Context id</dt><dd><code>{context.id}</code></dd>
      <dt>URL</dt><dd>{[context.method, context.url].filter(Boolean).join(' ') || '—'}</dd>
      <dt>When</dt><dd>{formatTime(context.createdAt)}{ownTimes && <span className="muted"> (its start: each change below shows its own time)</span>}</dd>
      <dt>Database</dt><dd>{context.dbUser}{context.applicationName ? ` · ${context.applicationName}` : ''}</dd>
      {Object.keys(extra).length > 0 && <><dt>Metadata</dt><dd><code>{stringifyExactJson(extra)}</code></dd></>}
    </dl>
  );
}

/** The browser tab's title of a request page: its heading once the request is loaded (contextTitle, as links say it). */
export function requestPageTitle(contextId: string, context: Context | undefined, notFound = false): string {
  if (context) return contextTitle(context);
  return notFound ? 'Request not found' : `Request ${contextId}`;
}

/** Everything one request (context) changed, grouped by table and record; sets the page's title. */
export function RequestChanges({ contextId, actions }: { contextId: string; actions?: ReactNode }) {
  const query = useInfiniteQuery({
    queryKey: ['context', contextId],
    queryFn: ({ pageParam, signal }) => getContext(contextId, pageParam, PAGE, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const { hasNextPage, isFetchingNextPage } = query;
  const { sentinel, loadMore } = useNextPageOnScroll(query);
  // The context's pages carry no total; asked for only when there is more than one page.
  const total = useQuery({
    queryKey: ['context-event-count', contextId],
    queryFn: ({ signal }) => getContextEventCount(contextId, signal),
    enabled: hasNextPage,
  });
  // Back from a record opened far down the changes returns there: the pages that were loaded (by scrolling or with
  // "Load more") are loaded again when the cache has let them go, then the change that was at the top of the screen
  // goes back where it was (more pages may have added records above it to a table's group).
  useScrollRestoration({ ready: query.isSuccess, canLoadMore: hasNextPage, loading: isFetchingNextPage, loadMore, pages: query.data?.pages.length });
  // The tab says what the heading says (Request req-2041, Changes made in context …), not the context id of the URL.
  const keyLabel = useKeyLabel(); // key parts in the order of the table's primary key
  usePageTitle(requestPageTitle(contextId, query.data?.pages[0].context, query.isError && isRequestNotFound(query.error)));

  if (query.isPending) return <Loading label="Loading request…" />;
  if (query.isError) {
    return isRequestNotFound(query.error) ? <RequestNotFound contextId={contextId} /> : <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  }
  const context = query.data.pages[0].context;
  const events = query.data.pages.flatMap((p) => p.events);
  const groups = groupEvents(events);
  const complete = !hasNextPage;
  const recordCount = [...groups.values()].reduce((sum, r) => sum + r.size, 0);
  // A job's changes may span days: then each says when it was made, not only the request's one time above.
  const ownTimes = changesSpanTime(context.createdAt, events);
  return (
    <>
      <header className="section-header page-header">
        <h1 className="page-title">
          <RequestTitle context={context} />
        </h1>
        {actions}
      </header>
      <ContextFacts context={context} ownTimes={ownTimes} />
      {events.length === 0 ? <Empty>This request changed no tracked rows.</Empty>
        : <p className="muted request-progress">{requestProgress({ changes: events.length, records: recordCount, tables: groups.size }, complete, total.data)}</p>}
      {[...groups].map(([table, records]) => (
        <section key={table} className="request-table" aria-labelledby={`t-${table}`}>
          <h2 id={`t-${table}`}>{shortTable(table)} <small className="muted">{recordCountLabel(records.size, complete)}</small></h2>
          {[...records].map(([key, recordEvents]) => (
            <article key={key} className="card request-record" data-record-key={key}>
              <h3><a href={recordHref(table, key)}>{shortTable(table)} {keyLabel(table, parseExactJson(key) as Record<string, unknown>)}</a></h3>
              {recordEvents.map((event) => (
                <div key={event.eventId} className="request-event" data-scroll-anchor={event.eventId}>
                  <div className="feed-head">
                    <OperationBadge operation={event.operation} />
                    <a href={recordHref(table, key, { version: event.eventId })}>#{event.eventId}</a>
                    {ownTimes && <EventTime at={event.createdAt} />}
                    {event.oldRecordKey && <OldKeyLink table={table} oldKey={event.oldRecordKey} />}
                  </div>
                  <EventChanges event={event} />
                </div>
              ))}
            </article>
          ))}
        </section>
      ))}
      <div ref={sentinel} className="feed-end">
        {isFetchingNextPage ? <Loading label="Loading more…" /> : hasNextPage ? <button type="button" className="secondary" onClick={loadMore}>Load more</button> : null}
      </div>
    </>
  );
}
