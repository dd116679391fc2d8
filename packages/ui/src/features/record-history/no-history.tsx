import { Empty } from '../../components/status';

/**
 * A record key with no history at all (a customer 999 that never existed): not an error, but nothing was recorded
 * under it, and the page says what that may mean.
 */
export function NoHistory() {
  return (
    <Empty>
      <strong>No change of this key is recorded.</strong>{' '}
      <span>
        The key may be wrong, or the record older than the tracking of its table and unchanged since (or changed only
        before the cutoff of <code>rowtrail trim-history</code>).
      </span>
    </Empty>
  );
}
