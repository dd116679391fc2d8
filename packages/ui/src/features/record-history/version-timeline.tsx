import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ErrorState, Loading } from '../../components/status';
import { useKeyLabel } from '../../components/table-columns';
import { plural } from '../../lib/plural';
import { currentArrival } from '../../lib/scroll-memory';
import { useScrollRestoration } from '../../lib/use-scroll-restoration';
import { byEventId } from './event-id-order';
import { historyStart } from './history-start';
import { KeyChangeBoundary } from './key-change-boundary';
import { NoHistory } from './no-history';
import { recordOfVersions, timelineEntries } from './timeline-entries';
import { useRecordHistory } from './use-record-history';
import { useVersionLookup } from './use-version-lookup';
import { VersionCard } from './version-card';
import { VersionNotFound } from './version-not-found';

const HEADER_HEIGHT = 64;

/** Keyboard focus asked for: a version's compare checkbox, or (a link's `version=`) the version itself. */
type FocusRequest = { eventId: string; target: 'compare' } | { eventId: string; target: 'version'; from: Element | null };

interface Props {
  table: string;
  recordKey: string;
  version: string | null;
  compare: string[];
  onToggleCompare: (eventId: string) => void;
  /** Move keyboard focus to this version's compare checkbox (a new object each time), e.g. when the comparison closes. */
  focusCompare?: { eventId: string } | null;
}

/**
 * Every version of the record, newest first; virtualized and paginated so 10,000 versions stay smooth. A key change away
 * from this key is a boundary between two records that had it, not a version: shown as such, with versions of different
 * records offered no comparison with each other.
 */
export function VersionTimeline({ table, recordKey, version, compare, onToggleCompare, focusCompare = null }: Props) {
  const query = useRecordHistory(table, recordKey);
  const events = query.data?.pages.flatMap((p) => p.events) ?? [];
  const { entries, last: oldestRecord } = timelineEntries(events);
  const recordOf = recordOfVersions(entries);
  // a version ticked for comparison: versions of another record (across a key change away) are not offered beside it
  const pickedRecord = compare.length === 1 ? recordOf.get(compare[0]) : undefined;
  const keyLabel = useKeyLabel();
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const listRef = useRef<HTMLDivElement | null>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    setScrollMargin(listRef.current?.offsetTop ?? 0);
  });

  const virtualizer = useWindowVirtualizer({
    count: events.length,
    estimateSize: () => 180,
    overscan: 6,
    scrollMargin,
    scrollPaddingStart: HEADER_HEIGHT, // keep a version scrolled to out from under the sticky header
    getItemKey: (index) => events[index]?.eventId ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const { hasNextPage, isFetchingNextPage } = query;
  // Several parts ask for the next page (the end of the list coming near, a linked version, a place returned to), often
  // in one render: the first asks, the others join its request instead of cancelling and repeating it.
  const { fetchNextPage: fetchPage } = query;
  const fetchNextPage = useCallback(() => fetchPage({ cancelRefetch: false }), [fetchPage]);

  // Load the next page when the end comes near.
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= events.length - 20 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [last?.index, events.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  // Back (or Forward) to this page returns to the version that was at the top of the screen, as far scrolled past as it
  // was: its rows' heights are estimates until rendered, so a position alone would land elsewhere. The pages down to
  // that version are loaded again when the cache has let them go.
  useScrollRestoration({
    ready: query.isSuccess,
    canLoadMore: hasNextPage,
    loading: isFetchingNextPage,
    loadMore: () => {
      if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
    },
    virtual: {
      has: (eventId) => events.some((e) => e.eventId === eventId),
      reveal: (eventId) => {
        const offset = virtualizer.getOffsetForIndex(events.findIndex((e) => e.eventId === eventId), 'start');
        if (offset) window.scrollTo(0, offset[0]);
      },
    },
  });

  // A deep link to a version: load pages until it is there (when it is one of this record's), then scroll to it once.
  const lookup = useVersionLookup(table, recordKey, version, {
    loaded: query.isSuccess, eventIds: events.filter((e) => !e.movedAway).map((e) => e.eventId), hasNextPage, isFetchingNextPage, fetchNextPage,
  });
  // keyboard focus asked for (below), and the compare checkbox request the timeline last scrolled for
  const focusRequest = useRef<FocusRequest | null>(null);
  const scrolledFor = useRef<FocusRequest | null>(null);
  const scrolledTo = useRef<string | null>(null);
  const versionIndex = lookup === 'found' ? events.findIndex((e) => e.eventId === version) : -1;
  // What had focus when the link was followed (the page, or a version link on it): the version takes focus from it
  // once shown, but not from wherever the user moved it meanwhile (pages can take a while to load).
  const focusedAtLink = useRef<Element | null>(null);
  useEffect(() => {
    focusedAtLink.current = document.activeElement;
  }, [version]);
  useEffect(() => {
    if (!version || scrolledTo.current === version || versionIndex < 0) return;
    scrolledTo.current = version;
    if (currentArrival().saved) return; // Back or Forward to this page: it returns to where the user was instead
    virtualizer.scrollToIndex(versionIndex, { align: 'start' });
    // Keyboard focus follows, so Tab goes on from the version and a screen reader says which one the link pointed at.
    const request = { eventId: version, target: 'version' as const, from: focusedAtLink.current };
    focusRequest.current = request; // scrolled to already: the focus waits for its row to be rendered
  }, [version, versionIndex, virtualizer]);

  // Focus a version's compare checkbox on request (or a linked version's card), once the timeline can: after its first
  // page arrived (the request may come while it loads), scrolled to first when the row is not rendered (virtualized
  // away); a version not loaded gets the timeline itself.
  const card = (eventId: string) =>
    listRef.current?.querySelector<HTMLElement>(`article[data-event-id="${CSS.escape(eventId)}"]`) ?? null;
  useEffect(() => {
    if (focusCompare) focusRequest.current = { ...focusCompare, target: 'compare' };
  }, [focusCompare]); // once per request, not on every page load
  useEffect(() => {
    const request = focusRequest.current;
    if (!request || !listRef.current) return; // nothing asked, or the timeline is not shown yet
    const index = events.findIndex((e) => e.eventId === request.eventId);
    const rendered = index >= 0 ? card(request.eventId) : null;
    if (request.target === 'version') {
      if (index >= 0 && !rendered) return; // scrolled to, not rendered yet
      focusRequest.current = null;
      // a comparison opened by the same link has focus (its heading), and keeps it
      const active = document.activeElement;
      const untouched = active === request.from || active === document.body || active === document.getElementById('main');
      if (rendered && untouched && compare.length < 2) rendered.focus({ preventScroll: true });
      return;
    }
    const box = rendered?.querySelector<HTMLInputElement>('input.compare-box') ?? null;
    if (index < 0 || box) {
      focusRequest.current = null;
      (box ?? listRef.current).focus();
    } else if (scrolledFor.current !== request) {
      scrolledFor.current = request;
      virtualizer.scrollToIndex(index, { align: 'center' });
    }
  });

  if (query.isPending) return <Loading label="Loading history…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  if (events.length === 0) return <NoHistory />;

  const toggleExpanded = (id: string) => setExpanded((current) => {
    const next = new Set(current);
    if (next.has(id)) next.delete(id); else next.add(id);
    return next;
  });

  // The key change (listed under the new key, oldest of them) after which the linked version may be under the old key.
  const keyChange = lookup === 'missing' ? events.findLast((e) => e.oldRecordKey && !e.movedAway && byEventId(e.eventId, version!) > 0) : undefined;

  return (
    <>
      {lookup === 'missing' && <VersionNotFound table={table} version={version!} keyChange={keyChange} />}
      <div ref={listRef} tabIndex={-1} className="timeline" role="feed" aria-busy={isFetchingNextPage} aria-label="Versions, newest first">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const entry = entries[item.index];
            const { event } = entry;
            return (
              <div
                key={item.key}
                data-index={item.index}
                data-scroll-anchor={event.eventId}
                ref={virtualizer.measureElement}
                className="timeline-row"
                style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)` }}
              >
                {entry.kind === 'boundary' ? <KeyChangeBoundary event={event} above={entry.above} /> : (
                  <VersionCard
                    event={event}
                    selected={event.eventId === version}
                    expanded={expanded.has(event.eventId)}
                    comparing={compare.includes(event.eventId)}
                    otherRecord={pickedRecord !== undefined && pickedRecord !== entry.record}
                    onToggleExpanded={() => toggleExpanded(event.eventId)}
                    onToggleCompare={() => onToggleCompare(event.eventId)}
                  />
                )}
              </div>
            );
          })}
        </div>
        <div className="feed-end">
          {isFetchingNextPage ? <Loading label="Loading older versions…" /> : hasNextPage ? null : (
            <span className="muted">
              {/* below a key change away: the versions of the record that left, counted and described apart from the others */}
              {plural(oldestRecord.versions, 'version')}
              {oldestRecord.movedTo && ` of the record whose key changed to ${keyLabel(table, oldestRecord.movedTo.recordKey)}`}
              {' · '}
              {oldestRecord.oldest ? historyStart(oldestRecord.oldest) : 'its history under this key was not recorded (its table was tracked later, or older history was trimmed)'}
            </span>
          )}
        </div>
      </div>
    </>
  );
}
