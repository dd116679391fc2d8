import { ValueView } from './value-view';

/** Every column of a row version. */
export function SnapshotView({ snapshot, highlight = [] }: { snapshot: Record<string, unknown>; highlight?: string[] }) {
  return (
    <table className="snapshot">
      <tbody>
        {Object.entries(snapshot).map(([column, value]) => (
          <tr key={column} className={highlight.includes(column) ? 'changed' : undefined} data-column={column}>
            <th scope="row">{column}</th>
            <td><ValueView value={value} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
