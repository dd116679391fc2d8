import type { EventFilters } from '../../api/types';
import { useColumnOrder } from '../../components/table-columns';
import { describeFilters } from './feed-filter-summary';

/**
 * Says, next to the feed's export button, what the file will hold: the changes the feed shows, i.e. the applied
 * filters, listed. Text typed into the filter form but not applied is not part of it, and a user who typed a user
 * name and pressed Export would otherwise get every event without noticing: so while the form has such changes, this
 * says so first.
 */
export function FeedExportScope({ filters, pending }: { filters: EventFilters; pending: boolean }) {
  const { key } = useColumnOrder(filters.recordKey && filters.table?.length === 1 ? filters.table[0] : undefined);
  const applied = describeFilters(filters, key);
  return (
    <>
      {pending && <strong className="export-pending">Filter changes not applied yet: press Apply to export them. </strong>}
      {applied.length === 0 ? 'Exports every change (no filter applied).' : `Exports the applied filters: ${applied.join('; ')}.`}
    </>
  );
}
