import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { tablesQuery } from '../../api/get-tables';
import { shortTable } from '../../lib/format';
import { recordHref } from '../../lib/links';
import { href, navigate } from '../../lib/router';
import { isPartialKey, keyColumns, lookupKey, type KeyColumn } from './record-lookup-key';

const INPUT_MODE = { integer: 'numeric', decimal: 'decimal' } as const;

function KeyField({ column, value, error, onChange, id }: { column: KeyColumn; value: string; error?: string; onChange: (value: string) => void; id: string }) {
  // The column's type is said under the field (and read out with it), so "42" or a UUID is typed as the API expects.
  return (
    <div className="field">
      <label htmlFor={id}>{column.name}</label>
      <input id={id} name={column.name} value={value} onChange={(e) => onChange(e.target.value)}
        inputMode={INPUT_MODE[column.kind as keyof typeof INPUT_MODE]} autoComplete="off" spellCheck={false}
        aria-invalid={error ? true : undefined} aria-describedby={`${id}-type${error ? ` ${id}-error` : ''}`} />
      <span id={`${id}-type`} className="field-hint">{column.type}</span>
      {error && <span id={`${id}-error`} className="field-error">{error}</span>}
    </div>
  );
}

/**
 * Opens a record's history from its table and primary key, without scrolling the feed for it or writing the link by
 * hand: one field per key column of the chosen table. A key with no history opens the record page all the same, which
 * says so. The table defaults to the one the feed is filtered by, if any. With a composite key, columns left empty
 * filter the feed instead: every record whose key has the values typed (all the links of one article in a join table).
 */
export function RecordLookup({ defaultTable }: { defaultTable?: string }) {
  const tables = useQuery(tablesQuery());
  const [picked, setPicked] = useState<string | null>(null);
  // Values by column name: switching to a table with the same key column (id) keeps what was typed.
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const form = useRef<HTMLFormElement | null>(null);
  const id = useId();
  // The tracked-tables panel above shows the loading state, the error (with Try again) or the empty explanation.
  const list = tables.data?.tables ?? [];
  const table = list.find((t) => t.table === picked) ?? list.find((t) => t.table === defaultTable) ?? list[0];
  if (!table || table.primaryKey.length === 0) return null;
  const columns = keyColumns(table);
  // Some columns of a composite key typed, others not: the button says the feed is filtered rather than a record opened.
  const partial = isPartialKey(columns, values);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = lookupKey(columns, values);
    if (result.key !== undefined) {
      setErrors({});
      navigate(result.partial ? href('/', { table: [table.table], recordKey: result.key }) : recordHref(table.table, result.key));
      return;
    }
    setErrors(result.errors);
    // Focus the first field to fix: its error is part of its description, so a screen reader reads it out.
    const first = columns.findIndex((c) => result.errors[c.name]);
    form.current?.querySelectorAll<HTMLInputElement>('input')[first]?.focus();
  };
  const change = (name: string, value: string) => {
    setValues((current) => ({ ...current, [name]: value }));
    // its error is being fixed; and an empty column of a composite key is allowed once another one is typed
    setErrors(({ [name]: _fixed, ...rest }) => (columns.length > 1 && value.trim() !== ''
      ? Object.fromEntries(Object.entries(rest).filter(([other]) => (values[other] ?? '').trim() !== ''))
      : rest));
  };

  return (
    <section className="record-lookup" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Look up a record</h2>
      <form ref={form} className="filters lookup-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
        <div className="field">
          <label htmlFor={`${id}-table`}>Table</label>
          <select id={`${id}-table`} value={table.table} onChange={(e) => { setPicked(e.target.value); setErrors({}); }}>
            {list.map((t) => <option key={t.table} value={t.table}>{shortTable(t.table)}</option>)}
          </select>
          <span className="field-hint">key: {table.primaryKey.join(', ')}{columns.length > 1 && ' (leave some empty to list every match)'}</span>
        </div>
        {columns.map((column, i) => (
          <KeyField key={`${table.table}:${column.name}`} id={`${id}-key-${i}`} column={column} value={values[column.name] ?? ''}
            error={errors[column.name]} onChange={(value) => change(column.name, value)} />
        ))}
        <div className="filter-actions">
          <button type="submit">{partial ? 'Show matching changes' : 'Open record'}</button>
        </div>
      </form>
    </section>
  );
}
