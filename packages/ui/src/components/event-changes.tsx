import type { DiffEvent } from '../api/types';
import { inColumnOrder } from '../lib/format';
import { useColumnNulls } from './column-nulls';
import { useColumnOrder } from './table-columns';
import { ValueChange, ValueField } from './value-change';

/**
 * The field-level diff of one event: [old, new] pairs for updates, full values for inserts and deletes; in the table's
 * column order.
 */
export function EventChanges({ event }: { event: Pick<DiffEvent, 'operation' | 'changes'> & Partial<Pick<DiffEvent, 'table'>> }) {
  const nullsOf = useColumnNulls(event.table); // a json column's null is not always a SQL NULL
  const entries = inColumnOrder(event.changes, useColumnOrder(event.table).columns);
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
