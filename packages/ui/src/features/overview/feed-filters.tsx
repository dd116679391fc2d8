import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { tablesQuery } from '../../api/get-tables';
import { OPERATIONS, type EventFilters } from '../../api/types';
import { shortTable } from '../../lib/format';
import { hasFilters } from './feed-filter-params';

const toLocalInput = (iso?: string) => {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : undefined);

/** Table, operation, user, request and time-range filters of the feed. */
export function FeedFilters({ filters, onChange }: { filters: EventFilters; onChange: (filters: EventFilters) => void }) {
  const tables = useQuery(tablesQuery());
  const [user, setUser] = useState(filters.user ?? '');
  const [requestId, setRequestId] = useState(filters.requestId ?? '');
  const [from, setFrom] = useState(toLocalInput(filters.from));
  const [to, setTo] = useState(toLocalInput(filters.to));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({ ...filters, user: user.trim() || undefined, requestId: requestId.trim() || undefined, from: fromLocalInput(from), to: fromLocalInput(to) });
  };
  const toggleOperation = (op: string) => {
    const current = filters.operation ?? [];
    onChange({ ...filters, operation: current.includes(op) ? current.filter((o) => o !== op) : [...current, op] });
  };
  const clear = () => {
    setUser(''); setRequestId(''); setFrom(''); setTo('');
    onChange({});
  };

  return (
    <form className="filters" onSubmit={submit} aria-label="Filter the activity feed">
      <label className="field">
        <span>Table</span>
        <select value={filters.table?.[0] ?? ''} onChange={(e) => onChange({ ...filters, table: e.target.value ? [e.target.value] : [] })}>
          <option value="">all tables</option>
          {tables.data?.tables.map((t) => <option key={t.table} value={t.table}>{shortTable(t.table)}</option>)}
        </select>
      </label>
      <fieldset className="field operations">
        <legend>Operation</legend>
        {OPERATIONS.map((op) => (
          <label key={op} className="check">
            <input type="checkbox" checked={filters.operation?.includes(op) ?? false} onChange={() => toggleOperation(op)} /> {op.toLowerCase()}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>User</span>
        <input name="user" value={user} onChange={(e) => setUser(e.target.value)} placeholder="e.g. sophie.support" />
      </label>
      <label className="field">
        <span>Request id</span>
        <input name="requestId" value={requestId} onChange={(e) => setRequestId(e.target.value)} placeholder="e.g. req-2041" />
      </label>
      <label className="field">
        <span>From</span>
        <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label className="field">
        <span>To</span>
        <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <div className="filter-actions">
        <button type="submit">Apply</button>
        {hasFilters(filters) && <button type="button" className="secondary" onClick={clear}>Clear</button>}
      </div>
    </form>
  );
}
