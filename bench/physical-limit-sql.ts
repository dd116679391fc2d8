import { BENCH_COLUMNS, BENCH_COLUMN_LIST, benchRowsSelect } from './bench-table.js';

/**
 * The physical limit (d): the same snapshot row and diff row Rowtrail writes,
 * produced by hand inside the writing statement (data-modifying CTEs), no trigger.
 * The UPDATE reads the old value through a self-join (RETURNING cannot see old
 * values before PostgreSQL 18) and knows statically which column it changes.
 */
const META = 'rowtrail_event_id, rowtrail_created_at, rowtrail_label, rowtrail_operation, rowtrail_record_key, rowtrail_old_record_key, rowtrail_context_id, rowtrail_txid';
const fullRow = (p: string) => `jsonb_build_object(${BENCH_COLUMNS.map((c) => `'${c.name}', ${p}${c.name}`).join(', ')})`;
const evColumns = BENCH_COLUMNS.map((c) => `ev.${c.name}`).join(', ');

function writeHistory(table: string, operation: string, changes: string): string {
  return `, ev AS MATERIALIZED (SELECT nextval('rowtrail.event_id_seq'::regclass) AS event_id, w.* FROM w)
, snap AS (
  INSERT INTO rowtrail.${table}_history (${META}, ${BENCH_COLUMN_LIST})
  SELECT ev.event_id, statement_timestamp(), 'snapshot', '${operation}', jsonb_build_object('id', ev.id), NULL,
    (SELECT rowtrail.context_id()), (SELECT txid_current()), ${evColumns}
  FROM ev)
INSERT INTO rowtrail.diff (event_id, table_name, record_key, operation, changes, label, context_id, txid, created_at)
SELECT ev.event_id, 'public.${table}', jsonb_build_object('id', ev.id), '${operation}', ${changes}, 'snapshot',
  (SELECT rowtrail.context_id()), (SELECT txid_current()), statement_timestamp()
FROM ev`;
}

export function physicalLimitInsert(table: string, rows: number): string {
  return `WITH w AS (INSERT INTO ${table} (${BENCH_COLUMN_LIST}) ${benchRowsSelect('1', String(rows))} RETURNING *)
${writeHistory(table, 'INSERT', fullRow('ev.'))}`;
}

export function physicalLimitUpdate(table: string): string {
  return `WITH w AS (
  UPDATE ${table} t SET amount = t.amount + 1 FROM ${table} o WHERE o.id = t.id
  RETURNING t.*, o.amount AS old_amount)
${writeHistory(table, 'UPDATE', `jsonb_build_object('amount', jsonb_build_array(ev.old_amount, ev.amount))`)}`;
}

export function physicalLimitDelete(table: string): string {
  return `WITH w AS (DELETE FROM ${table} RETURNING *)
${writeHistory(table, 'DELETE', fullRow('ev.'))}`;
}
