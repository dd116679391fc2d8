import { useQuery } from '@tanstack/react-query';
import { tablesQuery } from '../../api/get-tables';
import { trackedTableNamed } from './tracked-table';

/**
 * Says so when the record's table is not recorded now (its capture removed or disabled): whoever asks "who changed this
 * last?" must not take the newest version below for the record's current state. Nothing while loading or on an error:
 * the history itself is what this page is for.
 */
export function NotRecordingNotice({ table }: { table: string }) {
  const tables = useQuery(tablesQuery());
  const tracked = tables.data ? trackedTableNamed(tables.data.tables, table) : undefined;
  if (!tracked || tracked.recording) return null;
  return (
    <div className="status status-warning not-recording" role="status">
      <strong>Changes to this table are not recorded now.</strong>
      <span>
        Its capture was removed (<code>rowtrail untrack</code> or <code>prune</code>) or disabled, so changes made since then
        are missing here and the newest version below may not be the record as it is now. <code>rowtrail status</code> tells which.
      </span>
    </div>
  );
}
