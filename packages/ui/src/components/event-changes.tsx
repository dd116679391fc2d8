import type { DiffEvent } from '../api/types';
import { useColumnNulls } from './column-nulls';
import { ValueChange, ValueField } from './value-change';

/** The field-level diff of one event: [old, new] pairs for updates, full values for inserts and deletes. */
export function EventChanges({ event }: { event: Pick<DiffEvent, 'operation' | 'changes'> & Partial<Pick<DiffEvent, 'table'>> }) {
  const nullsOf = useColumnNulls(event.table); // a json column's null is not always a SQL NULL
  const entries = Object.entries(event.changes);
  if (event.operation !== 'UPDATE') {
    return <div className="changes">{entries.map(([column, value]) => <ValueField key={column} column={column} value={value} nulls={nullsOf(column)} />)}</div>;
  }
  return (
    <div className="changes">
      {entries.map(([column, pair]) => {
        const [old, next] = Array.isArray(pair) ? pair : [undefined, pair];
        return <ValueChange key={column} column={column} old={old} next={next} nulls={nullsOf(column)} />;
      })}
    </div>
  );
}
