import { useColumnNulls } from './column-nulls';
import { ValueView } from './value-view';

/** Every column of a row version of `table` (whose column types say what a null is). */
export function SnapshotView({ table, snapshot, highlight = [] }: { table: string; snapshot: Record<string, unknown>; highlight?: string[] }) {
  const nullsOf = useColumnNulls(table);
  return (
    <table className="snapshot">
      <tbody>
        {Object.entries(snapshot).map(([column, value]) => (
          <tr key={column} className={highlight.includes(column) ? 'changed' : undefined} data-column={column}>
            <th scope="row">{column}</th>
            <td><ValueView value={value} nulls={nullsOf(column).whole} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
