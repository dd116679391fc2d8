import { recordHref } from '../lib/links';
import { useKeyLabel } from './table-columns';

/**
 * "key changed from id 6" on a version that changed the record's primary key, linking to the old key's history: the
 * versions before the change are listed there (the history API files them under the key they had).
 */
export function OldKeyLink({ table, oldKey }: { table: string; oldKey: Record<string, unknown> }) {
  const keyLabel = useKeyLabel();
  return (
    <span className="muted old-key">
      key changed from <a href={recordHref(table, oldKey)} title="History of the record under its old key">{keyLabel(table, oldKey)}</a>
    </span>
  );
}
