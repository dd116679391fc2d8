import { anyColumnDiffers } from './column-comparison.js';
import { identifierName, shortHash } from './identifier-name.js';
import { jsonbObject, jsonbValue } from './json-expressions.js';
import { qualified, quoteIdent, quoteLiteral } from './quote.js';
import { HISTORY_META_COLUMNS, snapshotColumns, type RowtrailSchemaOptions, type TrackedColumn, type TrackedTableSpec } from './tracked-table-spec.js';

/**
 * What the capture functions of one tracked table are written from: its names, columns and the expressions every
 * capture shares (the history row's SELECT list, the prologue that resolves the statement's context id, the context
 * row's saving). Pure: built from the spec, no database.
 */
export function captureParts(spec: TrackedTableSpec, options: RowtrailSchemaOptions) {
  const columns = snapshotColumns(spec);
  const s = quoteIdent(options.schema);
  const snapshotTable = options.snapshotTableName({ schema: spec.schema, table: spec.table });
  const history = qualified(options.schema, snapshotTable);
  const source = qualified(spec.schema, spec.table);
  const label = `${quoteLiteral(spec.label)}::text`;
  const fn = (suffix: string) => qualified(options.schema, identifierName(snapshotTable, suffix));
  const keyColumns = spec.primaryKey.map((name) => columns.find((c) => c.name === name)!);
  const compared = columns.filter((c) => !spec.ignoreChanges.includes(c.name));
  // The key-change trigger tells the same statement's update capture which events it wrote, through a
  // setting named per trigger depth: a statement run by a user's trigger on this table (say, one that
  // re-parents children after a key change) fires its captures one level deeper, so it neither takes
  // nor clears the outer statement's setting.
  const keyChangeSetting = `${quoteLiteral(`rowtrail.key_change_${shortHash(`${options.schema}.${snapshotTable}`)}_`)} || pg_catalog.pg_trigger_depth()::text`;
  // And, in a setting of the transaction (whatever the depth), that keys of this table changed: only then does the update
  // capture read the setting above, and look in history for a record that left the key of a row it records
  // (refuseChangeOfLeftKey below). Statements in transactions that changed no key of the table read this one only.
  const keysChangedSetting = quoteLiteral(`rowtrail.keys_changed_${shortHash(`${options.schema}.${snapshotTable}`)}`);

  const col = (prefix: string) => (c: TrackedColumn) => `${prefix}${quoteIdent(c.name)}`;
  const keyOf = (prefix: string) => jsonbObject(keyColumns.map((c) => [c.name, col(prefix)(c)]));
  // a json value jsonb cannot hold must not make the write fail (sql/000010)
  const asJsonb = (c: TrackedColumn, expression: string) => jsonbValue(options.schema, c, expression);
  const fullRow = (prefix: string) => jsonbObject(columns.map((c) => [c.name, asJsonb(c, col(prefix)(c))]));
  const insertInto = `INSERT INTO ${history} (${[...HISTORY_META_COLUMNS.map((c) => c.name), ...columns.map((c) => quoteIdent(c.name))].join(', ')})`;
  const nextEventId = `nextval(${quoteLiteral(`${s}.event_id_seq`)}::regclass)`;
  // The SELECT list of a history row, in insertInto's order. Every value has the history column's
  // type (constants typed, source values cast where the history type drops a size limit, e.g.
  // numeric(12,2) to numeric), so the planner needs no projection above the scan to coerce them: one
  // plan node less to start per statement. Only those casts are written: a type named in the function
  // body is looked up in the writer's search_path (an extension's type such as citext may not be there).
  const retyped = new Set(spec.columns.filter((c) => columns.some((h) => h.name === c.name && h.type !== c.type)).map((c) => c.name));
  const asHistoryType = (prefix: string) => (c: TrackedColumn) => `${col(prefix)(c)}${retyped.has(c.name) ? `::${c.type}` : ''}`;
  const historyRow = (operation: string, prefix: string, changes: string, { oldKey = 'NULL::jsonb', eventId = nextEventId, statement = 'NULL::bigint' } = {}) =>
    `${eventId}, rowtrail_at, ${label}, '${operation}'::text, ${keyOf(prefix)}, ${oldKey}, rowtrail_ctx, txid_current(), ${changes}, ${statement}, ${columns.map(asHistoryType(prefix)).join(', ')}`;

  // Every capture function starts by resolving the statement's context id (no lookup, nothing stored)
  // and stores the context row after its insert, only when the insert wrote a row. PL/pgSQL compiles
  // an expression again in every transaction, and only once it runs: the id in the driver's comment
  // (the fast path of statement_context_id(), sql/000005) is read by a small expression of its own,
  // and statement_context_id()'s whole CASE is compiled only for other statements.
  // rowtrail_at: the clock when the capture runs, not statement_timestamp(): a statement that started first but waited
  // for another transaction's row lock changes the row after it, and a record's versions are stamped in that order
  // (record-state-order.test.ts). Built-ins that take any argument type are called by their pg_catalog names, which no
  // function of another schema on the writer's search_path can stand in for (search-path-hijack.test.ts).
  const prologue = (extra = '') => `
DECLARE
  rowtrail_query text := current_query();
  rowtrail_at timestamptz := pg_catalog.clock_timestamp();
  rowtrail_ctx uuid;
  rowtrail_void boolean;${extra}
BEGIN
  IF starts_with(rowtrail_query, '/*rowtrail:{"id":"') AND strpos(substr(rowtrail_query, 19, 38), '"') = 37 THEN
    rowtrail_ctx := substr(rowtrail_query, 19, 36)::uuid;
  ELSE
    rowtrail_ctx := ${s}.statement_context_id(rowtrail_query);
  END IF;`;
  const saveContext = `rowtrail_void := ${s}.save_context(rowtrail_query, rowtrail_ctx);`;

  const keyDiffers = (oldPrefix: string, newPrefix: string) => anyColumnDiffers(keyColumns, oldPrefix, newPrefix);
  const tableName = quoteLiteral(`${spec.schema}.${spec.table}`);
  return { spec, options, columns, s, snapshotTable, history, source, label, fn, keyColumns, compared, keyChangeSetting, keysChangedSetting, tableName, col, keyOf, asJsonb, fullRow, insertInto, nextEventId, historyRow, prologue, saveContext, keyDiffers };
}

export type CaptureParts = ReturnType<typeof captureParts>;
