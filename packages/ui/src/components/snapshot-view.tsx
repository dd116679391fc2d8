import { inColumnOrder } from '../lib/format';
import { useColumnNulls } from './column-nulls';
import { useColumnOrder } from './table-columns';
import { ValueView } from './value-view';

/**
 * Every column of a row version of `table` (whose column types say what a null is), in the table's column order
 * (GET /api/tables), not jsonb's (shorter keys first); columns the table no longer lists go after.
 */
export function SnapshotView({ table, snapshot, highlight = [] }: { table: string; snapshot: Record<string, unknown>; highlight?: string[] }) {
  const nullsOf = useColumnNulls(table);
  const { columns } = useColumnOrder(table);
  return (
    <table className="snapshot">
      <tbody>
        {inColumnOrder(snapshot, columns).map(([column, value]) => (
          <tr key={column} className={highlight.includes(column) ? 'changed' : undefined} data-column={column}>
            <th scope="row">{column}</th>
            <td><ValueView value={value} nulls={nullsOf(column).whole} inside={nullsOf(column).inside} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
