import type { HistoryEvent } from '../../api/types';
import { useKeyLabel } from '../../components/table-columns';
import { recordHref } from '../../lib/links';

/**
 * Says that the linked version is not one of this record's, instead of showing the timeline as if nothing was asked.
 * When the loaded history shows the key changed after that version, the old key's page may hold it: linked.
 */
export function VersionNotFound({ table, version, keyChange }: { table: string; version: string; keyChange?: HistoryEvent }) {
  const keyLabel = useKeyLabel();
  return (
    <div className="status status-warning version-not-found" role="alert">
      <strong>Version #{version} is not a version of this record.</strong>
      <span>
        The link may point at a change of another record; the timeline below shows this record&apos;s own versions, newest first.
        {keyChange?.oldRecordKey && (
          <> Its key changed in version #{keyChange.eventId}: older versions are listed under{' '}
            <a href={recordHref(table, keyChange.oldRecordKey, { version })}>{keyLabel(table, keyChange.oldRecordKey)}</a>.</>
        )}
      </span>
    </div>
  );
}
