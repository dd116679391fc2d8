import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { tablesQuery } from '../../api/get-tables';
import { OPERATIONS, type EventFilters } from '../../api/types';
import { parseExactJson } from '../../lib/exact-json';
import { formatKey, shortTable } from '../../lib/format';
import { browserTimeZone } from '../../lib/local-time';
import { isWatermark, WATERMARK_HINT } from '../../lib/watermark';
import { applyDraft, type FeedFilterDraftState } from './feed-filter-draft';
import { hasFilters } from './feed-filter-params';

/** The table control's value for a selection it has no option of its own for (several tables, or one not listed). */
const CURRENT_TABLES = '(current selection)'; // not a schema.table name
const CURRENT_COLUMNS = '(columns of the link)'; // several changed columns from a link: not one column's name

/** What "Changed" says of the operations: it lists updates only (an insert or a delete changes no single column). */
export const CHANGED_UPDATES_ONLY = 'Changed lists updates only: inserts and deletes change no single column.';

/**
 * The filters with `column` chosen as Changed (or none): as it lists updates only, choosing a column keeps update
 * alone of the operations chosen, which insert or delete would otherwise leave with nothing to show.
 */
export function withChanged(filters: EventFilters, column: string | undefined): EventFilters {
  if (!column) return { ...filters, changed: undefined };
  return { ...filters, changed: [column], operation: filters.operation?.filter((op) => op === 'UPDATE') };
}

/**
 * Table, record key (set by a link or the record lookup, shown with a Remove button), changed column (of the one
 * table filtered by), operation, user, request,
 * time-range and "after an export" filters of the feed. The text and time fields keep what is typed (`draft`, owned by
 * the page so the export can tell it is not applied) until Apply. A pasted watermark that is not one is explained under
 * its field (which gets focus) and nothing is applied.
 */
export function FeedFilters({ filters, draft, onChange }: { filters: EventFilters; draft: FeedFilterDraftState; onChange: (filters: EventFilters) => void }) {
  const tables = useQuery(tablesQuery());
  const { user, requestId, dbUser, from, to, after } = draft.draft;
  const [afterError, setAfterError] = useState<string>();
  const afterField = useRef<HTMLInputElement>(null);
  // a To before From: said under the fields (To gets focus), not left to the API's error in the chart and the feed
  const [rangeError, setRangeError] = useState<string>();
  const toField = useRef<HTMLInputElement>(null);
  const afterId = useId();
  // The time fields take the browser's local time (and say so); what goes into the URL is UTC with its "Z".
  const zone = browserTimeZone();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = applyDraft(filters, draft.draft);
    if (next.after !== undefined && !isWatermark(next.after)) {
      setAfterError(`Not a watermark: paste ${WATERMARK_HINT}.`);
      afterField.current?.focus();
      return;
    }
    setAfterError(undefined);
    if (next.from !== undefined && next.to !== undefined && new Date(next.to) < new Date(next.from)) {
      setRangeError('To is before From: choose a To after From, or clear one of them.');
      toField.current?.focus();
      return;
    }
    setRangeError(undefined);
    onChange(next);
  };
  const toggleOperation = (op: string) => {
    const current = filters.operation ?? [];
    onChange({ ...filters, operation: current.includes(op) ? current.filter((o) => o !== op) : [...current, op] });
  };
  // A link may filter by several tables (`table` repeats) or by one the list does not hold: the control shows that
  // selection as it is rather than claiming a single table or "all tables".
  const chosen = filters.table ?? [];
  const listed = tables.data?.tables.map((t) => t.table) ?? [];
  const unlisted = chosen.length > 1 || (chosen.length === 1 && !listed.includes(chosen[0]));
  const tableValue = chosen.length === 0 ? '' : unlisted ? CURRENT_TABLES : chosen[0];
  const tableSelect = useRef<HTMLSelectElement>(null);
  // "Changed" lists the recorded columns of the one table filtered by: only updates that changed the column chosen
  const columns = chosen.length === 1 ? tables.data?.tables.find((t) => t.table === chosen[0])?.columns.map((c) => c.name) ?? [] : [];
  // as for tables: a link's several columns, or one the table does not list, are shown as they are
  const changed = filters.changed ?? [];
  const unlistedChanged = changed.length > 1 || (changed.length === 1 && !columns.includes(changed[0]));
  const updatesOnly = changed.length > 0;
  const primaryKey = chosen.length === 1 ? tables.data?.tables.find((t) => t.table === chosen[0])?.primaryKey : undefined;
  const keyText = filters.recordKey ? formatKey(parseExactJson(filters.recordKey) as Record<string, unknown>, primaryKey) : '';
  const removeKey = () => {
    onChange({ ...filters, recordKey: undefined });
    tableSelect.current?.focus(); // the button goes with the filter: keep keyboard focus in the form, on the table it filtered
  };
  const clear = () => {
    draft.clear();
    setAfterError(undefined);
    setRangeError(undefined);
    onChange({});
    tableSelect.current?.focus(); // the Clear button goes with the filters: keep keyboard focus in the form
  };

  return (
    <form className="filters" onSubmit={submit} aria-label="Filter the activity feed">
      <label className="field">
        <span>Table</span>
        <select ref={tableSelect} value={tableValue} onChange={(e) => {
          // a key filter names key columns of the table it was given with
          if (e.target.value !== CURRENT_TABLES) onChange({ ...filters, table: e.target.value ? [e.target.value] : [], recordKey: undefined, changed: undefined });
        }}>
          <option value="">all tables</option>
          {unlisted && <option value={CURRENT_TABLES}>{chosen.map(shortTable).join(', ')}</option>}
          {tables.data?.tables.map((t) => <option key={t.table} value={t.table}>{shortTable(t.table)}</option>)}
        </select>
      </label>
      {filters.recordKey && (
        <div className="field">
          <span>Key</span>
          <span className="key-filter">
            <code>{keyText}</code>
            <button type="button" className="secondary" onClick={removeKey} aria-label={`Remove the key filter ${keyText}`}>Remove</button>
          </span>
        </div>
      )}
      {columns.length > 0 && (
        <label className="field">
          <span>Changed</span>
          <select value={changed.length === 0 ? '' : unlistedChanged ? CURRENT_COLUMNS : changed[0]}
            onChange={(e) => { if (e.target.value !== CURRENT_COLUMNS) onChange(withChanged(filters, e.target.value || undefined)); }}>
            <option value="">any column</option>
            {unlistedChanged && <option value={CURRENT_COLUMNS}>{changed.join(' or ')}</option>}
            {columns.map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
        </label>
      )}
      {/* With Changed, insert and delete can only empty the feed: offered no more (one a link checked stays, to uncheck), and said why. */}
      <fieldset className="field operations" aria-describedby={updatesOnly ? `${afterId}-updates-only` : undefined}>
        <legend>Operation</legend>
        {OPERATIONS.map((op) => {
          const checked = filters.operation?.includes(op) ?? false;
          return (
            <label key={op} className="check">
              <input type="checkbox" checked={checked} disabled={updatesOnly && op !== 'UPDATE' && !checked} onChange={() => toggleOperation(op)} /> {op.toLowerCase()}
            </label>
          );
        })}
        {updatesOnly && <span id={`${afterId}-updates-only`} className="field-hint operations-note">{CHANGED_UPDATES_ONLY}</span>}
      </fieldset>
      <label className="field">
        <span>User</span>
        <input name="user" value={user} onChange={(e) => draft.set('user', e.target.value)} placeholder="e.g. sophie.support" />
      </label>
      <label className="field">
        <span>Request id</span>
        <input name="requestId" value={requestId} onChange={(e) => draft.set('requestId', e.target.value)} placeholder="e.g. req-2041" />
      </label>
      <label className="field">
        <span>Database role <span className="field-zone">(psql, migrations)</span></span>
        <input name="dbUser" value={dbUser} onChange={(e) => draft.set('dbUser', e.target.value)} placeholder="e.g. postgres" autoComplete="off" spellCheck={false} />
      </label>
      <label className="field">
        <span>From <span className="field-zone">({zone})</span></span>
        <input type="datetime-local" name="from" value={from} onChange={(e) => { draft.set('from', e.target.value); setRangeError(undefined); }} />
      </label>
      <label className="field">
        <span>To <span className="field-zone">({zone})</span></span>
        <input ref={toField} type="datetime-local" name="to" value={to} onChange={(e) => { draft.set('to', e.target.value); setRangeError(undefined); }}
          aria-invalid={rangeError ? true : undefined} aria-describedby={rangeError ? `${afterId}-range-error` : undefined} />
      </label>
      <div className="field">
        <label htmlFor={`${afterId}-input`}>After export <span className="field-zone">(its watermark)</span></label>
        <input ref={afterField} id={`${afterId}-input`} name="after" value={after} placeholder="e.g. 7430:7433:7431"
          onChange={(e) => { draft.set('after', e.target.value); setAfterError(undefined); }}
          autoComplete="off" spellCheck={false} aria-invalid={afterError ? true : undefined} aria-describedby={afterError ? `${afterId}-error` : undefined} />
      </div>
      <div className="filter-actions">
        <button type="submit">Apply</button>
        {hasFilters(filters) && <button type="button" className="secondary" onClick={clear}>Clear</button>}
      </div>
      {/* A row of its own under the fields, so the error does not push the fields of its row out of line. */}
      {afterError && <p id={`${afterId}-error`} className="field-error filters-error">{afterError}</p>}
      {rangeError && <p id={`${afterId}-range-error`} className="field-error filters-error">{rangeError}</p>}
    </form>
  );
}
