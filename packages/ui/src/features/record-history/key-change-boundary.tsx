import type { HistoryEvent } from '../../api/types';
import { ContextLine } from '../../components/context-line';
import { useKeyLabel } from '../../components/table-columns';
import { recordHref } from '../../lib/links';
import { plural } from '../../lib/plural';
import { historyStart } from './history-start';

interface Props {
  /** The key change away from this key (its recordKey is the new key). */
  event: HistoryEvent;
  /** The versions listed above it: of the record that had the key afterwards. */
  above: { versions: number; oldest: HistoryEvent | undefined };
}

/**
 * Where a record's key changed away from this key: the versions above and below may be of two different records that
 * had it (a key reused, two keys swapped), or of one that came back, so nobody reads them as one record's history. Says where the later record's
 * versions above start, as the timeline's end does for the oldest.
 */
export function KeyChangeBoundary({ event, above }: Props) {
  const keyLabel = useKeyLabel();
  const newKey = keyLabel(event.table, event.recordKey);
  const newKeyLink = event.recordKeyText ?? event.recordKey;
  return (
    <article className="card key-boundary status-warning" data-event-id={event.eventId} aria-label={`Key changed to ${newKey} in version ${event.eventId}`}>
      {above.oldest && (
        <p className="muted key-boundary-above">
          Above: {plural(above.versions, 'version')} of the record that had this key afterwards · {historyStart(above.oldest)}
        </p>
      )}
      <p>
        <strong>Key changed to {newKey} here</strong> (version{' '}
        <a href={recordHref(event.table, newKeyLink, { version: event.eventId })} title="This key change in the record's history under its new key">#{event.eventId}</a>,{' '}
        <ContextLine context={event.context} at={event.createdAt} />): the versions below are of the record whose key changed to{' '}
        <a href={recordHref(event.table, newKeyLink)} title="History of that record under its new key">{newKey}</a>.
        {' '}The versions above are of the record that had this key afterwards: another one, or the same one come back (its
        first version above says where it came from).
      </p>
    </article>
  );
}
