import { HISTORY_META_COLUMNS, snapshotColumns } from '../packages/server/src/ddl/tracked-table-spec.js';
import { BENCH_COLUMN_LIST, benchRowsSelect, benchTableSpec } from './bench-table.js';

/**
 * The physical limit (d): what Rowtrail writes, produced by hand inside the
 * writing statement (data-modifying CTEs), no trigger. Per changed row one
 * history row with every meta column (event id, time, label, operation, record
 * key, context id, txid, the diff in rowtrail_changes (the full row for
 * INSERT and DELETE, {"amount": [old, new]} for the UPDATE), no key-change
 * statement) and the typed row;
 * per statement one context row. The statements carry no context comment, so
 * that row is the context-less one Rowtrail stores for them (see save_context in
 * sql/000005_one_row_history.sql): the id from rowtrail.statement_context_id(),
 * metadata '{}', the session's application_name. Values are typed constants or
 * cast to the history column's type, as in the generated capture
 * (packages/server/src/ddl/capture-ddl.ts). The UPDATE reads the old value
 * through a self-join (RETURNING cannot see old values before PostgreSQL 18)
 * and knows statically which column it changes.
 */
// The history table's source columns and their types (every bench table has the same ones).
const columns = snapshotColumns(benchTableSpec('bench'));
const HISTORY_COLUMN_LIST = [...HISTORY_META_COLUMNS.map((c) => c.name), ...columns.map((c) => c.name)].join(', ');
const fullRow = (p: string) => `jsonb_build_object(${columns.map((c) => `'${c.name}', ${p}${c.name}`).join(', ')})`;
const typedRow = (p: string) => columns.map((c) => `${p}${c.name}::${c.type}`).join(', ');

/** The rest of a `WITH w AS (<data-modifying statement> RETURNING ...)`: the history rows of w and the context row. */
function writeHistory(table: string, operation: string, changes: string): string {
  return `, ctx AS MATERIALIZED (SELECT rowtrail.statement_context_id(current_query()) AS id)
, history AS (
  INSERT INTO rowtrail.${table}_history (${HISTORY_COLUMN_LIST})
  SELECT nextval('rowtrail.event_id_seq'::regclass), statement_timestamp(), 'snapshot'::text, '${operation}'::text, jsonb_build_object('id', w.id), NULL::jsonb,
    (SELECT ctx.id FROM ctx), txid_current(), ${changes}, NULL::bigint, ${typedRow('w.')}
  FROM w)
INSERT INTO rowtrail.context (id, metadata, application_name)
SELECT ctx.id, '{}'::jsonb, nullif(current_setting('application_name', true), '') FROM ctx`;
}

export function physicalLimitInsert(table: string, rows: number): string {
  return `WITH w AS (INSERT INTO ${table} (${BENCH_COLUMN_LIST}) ${benchRowsSelect('1', String(rows))} RETURNING *)
${writeHistory(table, 'INSERT', fullRow('w.'))}`;
}

export function physicalLimitUpdate(table: string): string {
  return `WITH w AS (
  UPDATE ${table} t SET amount = t.amount + 1 FROM ${table} o WHERE o.id = t.id
  RETURNING t.*, o.amount AS old_amount)
${writeHistory(table, 'UPDATE', `jsonb_build_object('amount'::text, jsonb_build_array(w.old_amount, w.amount))`)}`;
}

export function physicalLimitDelete(table: string): string {
  return `WITH w AS (DELETE FROM ${table} RETURNING *)
${writeHistory(table, 'DELETE', fullRow('w.'))}`;
}
