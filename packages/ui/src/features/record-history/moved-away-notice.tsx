import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { getState } from '../../api/get-state';
import { useKeyLabel } from '../../components/table-columns';
import { formatTime } from '../../lib/format';
import { recordHref } from '../../lib/links';

/**
 * Says so when the record no longer has this key: a later update changed its primary key. That update is filed under
 * the new key, so without this the timeline below ends on the record's last version under this key and reads as if
 * the record were still here, unchanged. Nothing while loading or on an error (the timeline is what the page is for).
 */
export function MovedAwayNotice({ table, recordKey }: { table: string; recordKey: string }) {
  const [now] = useState(() => new Date().toISOString());
  const state = useQuery({ queryKey: ['state', table, recordKey, 'now', now], queryFn: ({ signal }) => getState(table, recordKey, now, signal) });
  const event = state.data?.event;
  const keyLabel = useKeyLabel();
  if (!state.data || state.data.exists || !event || event.operation === 'DELETE') return null;
  return (
    <div className="status status-warning moved-away" role="status">
      <strong>This record's key changed to {keyLabel(table, event.recordKey)}.</strong>
      <span>
        Version <a href={recordHref(table, event.recordKey, { version: event.eventId })}>#{event.eventId}</a> ({formatTime(event.createdAt)}) changed
        it; its later history is under <a href={recordHref(table, event.recordKey)}>{keyLabel(table, event.recordKey)}</a>. The versions below are from
        before, under this key.
      </span>
    </div>
  );
}
