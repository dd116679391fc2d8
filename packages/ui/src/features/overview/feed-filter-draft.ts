import type { EventFilters } from '../../api/types';
import { useSyncedState } from '../../components/use-synced-state';
import { fromLocalInput } from '../../lib/local-time';
import { toLocalInput } from '../../lib/route-params';

/** What is typed into the feed form's text and time fields; the filters change only when it is applied. */
export interface FeedFilterDraft {
  user: string;
  requestId: string;
  /** database user of changes made without application context */
  dbUser: string;
  /** datetime-local values, in the browser's time zone */
  from: string;
  to: string;
  /** an earlier export's watermark, as pasted */
  after: string;
}

/**
 * A time field as a filter. A field left as it was shown keeps the applied instant exactly: the field holds whole
 * minutes, and applying another filter must not round `from=…T06:00:30.5Z` to the minute.
 */
const timeFilter = (field: string, applied: string | undefined) => (field === toLocalInput(applied) ? applied : fromLocalInput(field));

/** The filters the form would apply: table and operation apply at once, so only the typed fields can differ. */
export function applyDraft(filters: EventFilters, draft: FeedFilterDraft): EventFilters {
  return {
    ...filters,
    user: draft.user.trim() || undefined,
    requestId: draft.requestId.trim() || undefined,
    dbUser: draft.dbUser.trim() || undefined,
    from: timeFilter(draft.from, filters.from),
    to: timeFilter(draft.to, filters.to),
    after: draft.after.trim() || undefined,
  };
}

/** Whether pressing Apply would change the filters (the feed, the chart and the export use the applied ones). */
export function hasUnappliedChanges(filters: EventFilters, draft: FeedFilterDraft): boolean {
  const next = applyDraft(filters, draft);
  return (['user', 'requestId', 'dbUser', 'from', 'to', 'after'] as const).some((name) => (next[name] ?? undefined) !== (filters[name] ?? undefined));
}

export interface FeedFilterDraftState {
  draft: FeedFilterDraft;
  set: (name: keyof FeedFilterDraft, value: string) => void;
  clear: () => void;
  pending: boolean;
}

/**
 * The form's typed values, kept above the form so the export next to the feed can tell when they are not applied.
 * Each field follows the URL only when its own filter changes there, so typing survives other filter changes.
 */
export function useFeedFilterDraft(filters: EventFilters): FeedFilterDraftState {
  const [user, setUser] = useSyncedState(filters.user ?? '');
  const [requestId, setRequestId] = useSyncedState(filters.requestId ?? '');
  const [dbUser, setDbUser] = useSyncedState(filters.dbUser ?? '');
  const [from, setFrom] = useSyncedState(toLocalInput(filters.from));
  const [to, setTo] = useSyncedState(toLocalInput(filters.to));
  const [after, setAfter] = useSyncedState(filters.after ?? '');
  const draft = { user, requestId, dbUser, from, to, after };
  const setters = { user: setUser, requestId: setRequestId, dbUser: setDbUser, from: setFrom, to: setTo, after: setAfter };
  return {
    draft,
    set: (name, value) => setters[name](value),
    clear: () => { setUser(''); setRequestId(''); setDbUser(''); setFrom(''); setTo(''); setAfter(''); },
    pending: hasUnappliedChanges(filters, draft),
  };
}
