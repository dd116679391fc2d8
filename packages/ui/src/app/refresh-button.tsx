import { useIsFetching, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { formatTime } from '../lib/format';

/** How the last refresh ended: when, and whether every query of the page was read again. */
interface Outcome { at: Date; failed: boolean }

/**
 * Reads everything on the page again, and marks what other pages showed as out of date: pages keep what they read for
 * 30 seconds (so Back shows them as they were), and a change made meanwhile must be one click away, not a reload
 * (which also loses the feed's place). Says when the last refresh finished, with its time zone as every time on the
 * page, or that it failed: a query whose refetch fails keeps what it read before, so the page looks as it did, and
 * "Updated" would claim it is current. For screen readers too.
 */
export function RefreshButton() {
  const client = useQueryClient();
  const fetching = useIsFetching() > 0;
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const refresh = () => {
    setRefreshing(true);
    const started = Date.now();
    // invalidateQueries never rejects (a query's error stays in its state): the page's queries say whether they failed.
    void client.invalidateQueries().finally(() => {
      const failed = client.getQueryCache().findAll({ type: 'active' })
        .some(({ state }) => state.status === 'error' && state.fetchStatus === 'idle' && state.errorUpdatedAt >= started);
      setRefreshing(false);
      setOutcome({ at: new Date(), failed });
    });
  };
  const time = outcome && <time dateTime={outcome.at.toISOString()}>{formatTime(outcome.at.toISOString())}</time>;
  return (
    <span className="refresh">
      <button type="button" className="secondary small" onClick={refresh} aria-busy={refreshing || undefined} title="Read the history shown here again">
        {refreshing ? 'Refreshing…' : 'Refresh'}
      </button>
      <span className="refresh-status muted" role="status">
        {outcome && !refreshing && !fetching ? (outcome.failed ? <>Refresh failed at {time}</> : <>Updated {time}</>) : ''}
      </span>
    </span>
  );
}
