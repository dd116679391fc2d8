import { useKeyLabel } from '../../components/table-columns';
import { formatTime } from '../../lib/format';
import { recordHref } from '../../lib/links';
import { useRecordHistory } from './use-record-history';

/**
 * Says so when a record's key changed away from this key (the history lists such key changes, flagged `movedAway`,
 * where they happened): when the newest entry is one, the record no longer has this key, and the versions below read as
 * if it were still here; when a later record has the key since, the versions are of more than one record. Nothing while
 * loading or on an error (the timeline is what the page is for).
 */
export function MovedAwayNotice({ table, recordKey }: { table: string; recordKey: string }) {
  const history = useRecordHistory(table, recordKey);
  const events = history.data?.pages.flatMap((p) => p.events) ?? [];
  const keyLabel = useKeyLabel();
  const event = events.find((e) => e.movedAway);
  if (!event) return null;
  const newKey = keyLabel(table, event.recordKey);
  const newKeyLink = event.recordKeyText ?? event.recordKey;
  const version = <a href={recordHref(table, newKeyLink, { version: event.eventId })}>#{event.eventId}</a>;
  if (event !== events[0]) {
    return (
      <div className="status status-warning moved-away" role="status">
        <strong>This key has had more than one record.</strong>
        <span>
          Version {version} ({formatTime(event.createdAt)}) changed the key of an earlier record to{' '}
          <a href={recordHref(table, newKeyLink)}>{newKey}</a>: the timeline marks where, and the versions below that mark are of that record.
        </span>
      </div>
    );
  }
  return (
    <div className="status status-warning moved-away" role="status">
      <strong>This record's key changed to {newKey}.</strong>
      <span>
        Version {version} ({formatTime(event.createdAt)}) changed it; its later history is under <a href={recordHref(table, newKeyLink)}>{newKey}</a>. The versions below are from
        before, under this key.
      </span>
    </div>
  );
}
