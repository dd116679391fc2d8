import { useIsFetching, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

/**
 * Reads everything on the page again, and marks what other pages showed as out of date: pages keep what they read for
 * 30 seconds (so Back shows them as they were), and a change made meanwhile must be one click away, not a reload
 * (which also loses the feed's place). Says when the last refresh finished, for screen readers too.
 */
export function RefreshButton() {
  const client = useQueryClient();
  const fetching = useIsFetching() > 0;
  const [refreshedAt, setRefreshedAt] = useState<Date | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const refresh = () => {
    setRefreshing(true);
    void client.invalidateQueries().finally(() => {
      setRefreshing(false);
      setRefreshedAt(new Date());
    });
  };
  return (
    <span className="refresh">
      <button type="button" className="secondary small" onClick={refresh} aria-busy={refreshing || undefined} title="Read the history shown here again">
        {refreshing ? 'Refreshing…' : 'Refresh'}
      </button>
      <span className="refresh-status muted" role="status">
        {refreshedAt && !refreshing && !fetching ? `Updated ${refreshedAt.toLocaleTimeString()}` : ''}
      </span>
    </span>
  );
}
