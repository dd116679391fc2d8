import { anyColumnDiffers, comparable } from './column-comparison.js';
import { dollarQuote } from './dollar-quote.js';
import { duplicateKeyCheck } from './duplicate-key-check.js';
import { adoptLegacyHistoryTable } from './legacy-history-name.js';
import { identifierName, sha256, shortHash } from './identifier-name.js';
import { jsonbObject, jsonbValue } from './json-expressions.js';
import { outputSettings } from './output-settings.js';
import { qualified, quoteIdent, quoteLiteral } from './quote.js';
import { refuseRenamedTable } from './renamed-table-guard.js';
import { HISTORY_META_COLUMNS, snapshotColumns, type RowtrailSchemaOptions, type TrackedColumn, type TrackedTableSpec } from './tracked-table-spec.js';
import { updateDiffExpression } from './update-diff-expression.js';

export interface CaptureDdl {
  /** Name of the history (snapshot) table inside the Rowtrail schema. */
  snapshotTable: string;
  /** Statements that create or bring up to date the history table, functions and triggers. */
  statements: string[];
  /** Hash of the statements: changes whenever the generated SQL changes. */
  hash: string;
}

export const CAPTURE_TRIGGER_NAMES = {
  insert: 'rowtrail_capture_insert',
  update: 'rowtrail_capture_update',
  delete: 'rowtrail_capture_delete',
  keyChange: 'rowtrail_capture_key_change',
  // PostgreSQL fires a table's BEFORE TRUNCATE triggers in name order: after every protection's (rowtrail_protect_…),
  // so a refused TRUNCATE is refused before its rows are copied into history
  truncate: 'rowtrail_truncate_capture',
} as const;

/**
 * Names capture triggers had before: install and uninstall drop them, and the lookups of the tables an installation
 * captures count them. rowtrail_capture_truncate fired before the protections' TRUNCATE triggers.
 */
export const LEGACY_CAPTURE_TRIGGER_NAMES: readonly string[] = ['rowtrail_capture_truncate'];

/** Every name a capture trigger has or had. */
export const ANY_CAPTURE_TRIGGER_NAMES: readonly string[] = [...Object.values(CAPTURE_TRIGGER_NAMES), ...LEGACY_CAPTURE_TRIGGER_NAMES];

/** Suffixes of the generated capture functions (`<history table>_<suffix>`). */
export const CAPTURE_FUNCTION_SUFFIXES = ['insert', 'update', 'delete', 'key_change', 'truncate'] as const;

/** Suffix of the history table's index on the record key: named after the key columns, so a new key gets its own. */
export const keyIndexSuffix = (primaryKey: readonly string[]): string => `key_${shortHash(primaryKey.join(','))}`;

/** Suffixes of a history table's indexes (`<history table>_<suffix>`), with the time-only BRIN index of earlier versions. */
export const historyIndexSuffixes = (primaryKey: readonly string[]): string[] =>
  ['event_idx', keyIndexSuffix(primaryKey), 'context_idx', 'created_at_idx', 'created_at_txid_idx', 'old_key_idx'];

/**
 * Builds the DDL that captures a table's history: a history table holding one
 * row per change (the typed row version and its diff), and statement-level
 * triggers with transition tables (one set-based insert per statement), plus a
 * row-level trigger limited to updates that change the primary key (transition
 * tables cannot pair old and new rows once the key changed), and a BEFORE TRUNCATE
 * trigger that records every row a TRUNCATE removes as a DELETE. Pure: no database needed, so it captures the
 * columns the spec lists; install() first leaves out those the catalog says are virtual (install/virtual-columns.ts).
 *
 * The generated functions are kept small on purpose: PostgreSQL compiles every
 * expression of a statement each time a trigger runs it, which is most of
 * what a single-row write pays for its history (see bench/ and docs/benchmarks.md).
 */
export function buildCaptureDdl(spec: TrackedTableSpec, options: RowtrailSchemaOptions): CaptureDdl {
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

  // INSERT and DELETE: the new (resp. old) rows, diff = full values.
  const wholeRowCapture = (operation: 'INSERT' | 'DELETE', transition: string, guard = '') => `${prologue()}${guard}
  ${insertInto}
  SELECT ${historyRow(operation, 'r.', fullRow('r.'))}
  FROM ${transition} r;
  IF FOUND THEN
    ${saveContext}
  END IF;
  RETURN NULL;
END`;

  // TRUNCATE: every row still in the table, recorded as a DELETE, read by a BEFORE trigger that runs under
  // TRUNCATE's exclusive lock. In READ COMMITTED each statement of the function takes a new snapshot, so it
  // also sees rows committed while TRUNCATE waited for that lock; a REPEATABLE READ or SERIALIZABLE snapshot
  // may not, and TRUNCATE (not MVCC-safe) would remove rows history never saw, so it is refused there; so it
  // is for a role that row-level security shows only some rows (TRUNCATE removes them all).
  // ONLY: a TRUNCATE reaches inheritance children too, and fires their own triggers.
  const tableName = quoteLiteral(`${spec.schema}.${spec.table}`);
  const truncateGuard = `${refuseRenamedTable(spec, 'history capture')}
  IF current_setting('transaction_isolation') IN ('repeatable read', 'serializable') THEN
    RAISE EXCEPTION 'Rowtrail: TRUNCATE of tracked table % in a % transaction refused: it could remove rows this transaction''s snapshot cannot see, which history would miss', ${tableName}, upper(current_setting('transaction_isolation'))
      USING ERRCODE = 'feature_not_supported', HINT = 'TRUNCATE it in a READ COMMITTED transaction, or use DELETE.';
  END IF;
  IF row_security_active(${quoteLiteral(source)}::regclass) THEN
    RAISE EXCEPTION 'Rowtrail: TRUNCATE of tracked table % refused: row-level security hides rows of it from this role, and history would miss them', ${tableName}
      USING ERRCODE = 'insufficient_privilege', HINT = 'Use DELETE, which removes (and records) only the rows this role may see, or TRUNCATE as a role that sees them all.';
  END IF;`;
  const truncateCapture = wholeRowCapture('DELETE', `ONLY ${source}`, truncateGuard);

  const keyDiffers = (oldPrefix: string, newPrefix: string) => anyColumnDiffers(keyColumns, oldPrefix, newPrefix);
  const changedRows = (extraCondition = '') => `WHERE ${anyColumnDiffers(compared, 'o.', 'n.')}${extraCondition}`;
  const updateRow = historyRow('UPDATE', 'n.', updateDiffExpression(columns, col('o.'), col('n.'), asJsonb));
  const byPosition = `(SELECT row_number() OVER () AS rowtrail_position, * FROM rowtrail_old) o
      JOIN (SELECT row_number() OVER () AS rowtrail_position, * FROM rowtrail_new) n ON o.rowtrail_position = n.rowtrail_position`;
  const byPositionChanged = changedRows(` AND NOT (${keyDiffers('o.', 'n.')})`);
  const notKeyChanged = changedRows(`
        AND NOT EXISTS (
          SELECT 1 FROM ${history} h
          WHERE h.rowtrail_event_id >= rowtrail_key_change_from AND h.rowtrail_old_record_key IS NOT NULL
            AND h.rowtrail_record_key = ${keyOf('n.')})`);
  // compared as every other comparison here (comparable()): no operator looked up in the writer's search_path
  const keyJoin = keyColumns.map((c) => `${comparable(c, 'o.')} = ${comparable(c, 'n.')}`).join(' AND ');
  // A statement that changes a row and then its key (an ON UPDATE CASCADE of another table's key in the same statement,
  // say: WITH c AS (UPDATE line SET qty = 10 …) UPDATE parent SET id = 200 …) fires the key-change trigger of the
  // cascade's update before this statement trigger records the statement's own change, which would then come after the
  // key change, under the key the record had left: history would show it still there. Event ids cannot be reordered,
  // so such a statement is refused. Told apart by history, in transactions that changed keys of the table only: a key
  // change of this transaction away from the row's key, made to the row as this update left it (the columns the key
  // change left as they were hold the update's new values), with no record arriving at that key since, nor in that key
  // change's statement (rows swapping or shifting keys). A row updated at a key a record left in an earlier statement
  // was inserted or moved there after, in history too, or (a key shared inside a transaction) is another row. Looked up
  // through the index of old keys, one probe per row recorded (OFFSET 0 keeps it one: not a hash join over every key
  // change of the table).
  const keyChangeOfThisVersion = columns.filter((c) => !spec.primaryKey.includes(c.name))
    .map((c) => `\n            AND (h.rowtrail_changes -> ${quoteLiteral(c.name)} IS NOT NULL OR NOT (${anyColumnDiffers([c], 'h.', 'n.')}))`).join('');
  const refuseChangeOfLeftKey = (from: string, where: string) => `SELECT ${keyOf('n.')}::text INTO rowtrail_left_key
      FROM ${from}
      ${where}
        AND EXISTS (
          SELECT FROM ${history} h
          WHERE h.rowtrail_old_record_key = ${keyOf('n.')} AND h.rowtrail_txid = txid_current()${keyChangeOfThisVersion}
            AND NOT EXISTS (
              SELECT FROM ${history} a
              WHERE a.rowtrail_event_id >= least(h.rowtrail_key_change_statement, h.rowtrail_event_id) AND a.rowtrail_record_key = ${keyOf('n.')}
                AND (a.rowtrail_event_id > h.rowtrail_event_id OR a.rowtrail_key_change_statement = h.rowtrail_key_change_statement))
          OFFSET 0)
      LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'Rowtrail: update of tracked table % refused: the same statement changed the row at key % and then moved it to another key (through ON UPDATE CASCADE or a trigger), and history would record the change after the key change, under the key the row had left', ${tableName}, rowtrail_left_key
        USING ERRCODE = 'feature_not_supported', HINT = 'Run the update and the statement that changes the key as separate statements, the update first.';
    END IF;`;
  // A single-row statement (most request-style writes) pairs its two rows without a join. Larger ones
  // join old and new rows on the key. PL/pgSQL caches that join's plan, planned for the transition
  // tables' sizes of the call that planned it: after single-row updates it was a nested loop, and a
  // later 20,000-row update of the same session took 52 s (capture-plan-cache.test.ts); for bulk
  // updates the planner's rows × rows × 0.005 estimate made it JIT-compile the capture for nothing.
  // So the join is only ever planned with enable_nestloop and jit off (for this statement, then restored),
  // which keeps its plan linear, and single-row statements pay neither the GUC changes nor a join.
  // rowtrail_key_change_from: NULL when no key of the table changed in this transaction. Else, after the single-row path,
  // the event id from which the key-change trigger recorded this statement's key changes (a single row: all of them), or
  // 0 when this statement (at this trigger depth) changed none; what is recorded is then checked with refuseChangeOfLeftKey.
  const updateCapture = `${prologue(`
  rowtrail_key_change_from bigint := nullif(current_setting(${keysChangedSetting}, true), '')::bigint;
  rowtrail_rows bigint;
  rowtrail_captured boolean;
  rowtrail_nestloop text;
  rowtrail_jit text;
  rowtrail_by_position boolean;
  rowtrail_left_key text;`)}
  SELECT count(*) INTO rowtrail_rows FROM rowtrail_new;
  -- The single-row path first, with as few PL/pgSQL expressions as it can: each is compiled again in every transaction.
  IF rowtrail_rows = 1 AND rowtrail_key_change_from IS NULL THEN
    ${insertInto}
    SELECT ${updateRow}
    FROM rowtrail_old o, rowtrail_new n
    ${changedRows()};
    IF FOUND THEN
      ${saveContext}
    END IF;
    RETURN NULL;
  END IF;
  IF rowtrail_key_change_from IS NOT NULL THEN
    rowtrail_key_change_from := coalesce(nullif(current_setting(${keyChangeSetting}, true), ''), '0')::bigint;
    IF rowtrail_key_change_from > 0 THEN
      rowtrail_void := set_config(${keyChangeSetting}, '', true) IS NULL;
    END IF;
  END IF;
  IF rowtrail_rows > 1 THEN
    ${duplicateKeyCheck(spec.primaryKey)}
    rowtrail_nestloop := current_setting('enable_nestloop');
    rowtrail_jit := current_setting('jit');
    rowtrail_void := set_config('enable_nestloop', 'off', true) IS NULL;
    rowtrail_void := set_config('jit', 'off', true) IS NULL;
    IF rowtrail_by_position THEN
      -- a key repeats: the n-th old row is the n-th new row's old version; key changes are the key-change trigger's
      IF rowtrail_key_change_from IS NOT NULL THEN
        ${refuseChangeOfLeftKey(byPosition, byPositionChanged)}
      END IF;
      ${insertInto}
      SELECT ${updateRow}
      FROM ${byPosition}
      ${byPositionChanged};
    ELSIF rowtrail_key_change_from > 0 THEN
      -- not the rows the key-change trigger recorded (their new key is another row's old key)
      ${refuseChangeOfLeftKey(`rowtrail_old o JOIN rowtrail_new n ON ${keyJoin}`, notKeyChanged)}
      ${insertInto}
      SELECT ${updateRow}
      FROM rowtrail_old o JOIN rowtrail_new n ON ${keyJoin}
      ${notKeyChanged};
    ELSE
      IF rowtrail_key_change_from = 0 THEN
        ${refuseChangeOfLeftKey(`rowtrail_old o JOIN rowtrail_new n ON ${keyJoin}`, changedRows())}
      END IF;
      ${insertInto}
      SELECT ${updateRow}
      FROM rowtrail_old o JOIN rowtrail_new n ON ${keyJoin}
      ${changedRows()};
    END IF;
    rowtrail_captured := FOUND;
    rowtrail_void := set_config('enable_nestloop', rowtrail_nestloop, true) IS NULL;
    rowtrail_void := set_config('jit', rowtrail_jit, true) IS NULL;
    IF rowtrail_captured THEN
      ${saveContext}
    END IF;
  ELSIF rowtrail_rows = 1 AND rowtrail_key_change_from = 0 THEN
    -- a single row in a transaction that changed keys of the table (with a key change of this statement, the row was it)
    ${refuseChangeOfLeftKey('rowtrail_old o, rowtrail_new n', changedRows())}
    ${insertInto}
    SELECT ${updateRow}
    FROM rowtrail_old o, rowtrail_new n
    ${changedRows()};
    IF FOUND THEN
      ${saveContext}
    END IF;
  END IF;
  RETURN NULL;
END`;

  const keyChangeCapture = `${prologue(`
  rowtrail_event bigint := ${nextEventId};
  rowtrail_key_change_setting text := ${keyChangeSetting};
  rowtrail_statement bigint;`)}
  -- Tell this statement's update trigger which events were written here, so it
  -- does not pair this row's new key with another row's old version. The first
  -- key change's event id also names the statement in each of its key changes.
  rowtrail_statement := nullif(current_setting(rowtrail_key_change_setting, true), '')::bigint;
  IF rowtrail_statement IS NULL THEN
    rowtrail_statement := rowtrail_event;
    -- and, until the transaction ends, that keys of this table changed (one expression: set_config returns the value it set)
    rowtrail_void := set_config(${keysChangedSetting}, set_config(rowtrail_key_change_setting, rowtrail_event::text, true), true) IS NULL;
  END IF;
  ${insertInto}
  VALUES (${historyRow('UPDATE', 'NEW.', updateDiffExpression(columns, col('OLD.'), col('NEW.'), asJsonb), { oldKey: keyOf('OLD.'), eventId: 'rowtrail_event', statement: 'rowtrail_statement' })});
  ${saveContext}
  RETURN NULL;
END`;

  // jit = off: a plan cached after a bulk statement would otherwise JIT-compile every later capture.
  const recorded = outputSettings(columns);
  const createFunction = (name: string, body: string, settings = '') =>
    `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql${settings}${recorded} AS ${dollarQuote(`${body}\n`)}`;

  const trigger = (name: string, timing: string) => [
    `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${source}`,
    `CREATE TRIGGER ${quoteIdent(name)} ${timing}`,
  ];
  const index = (suffix: string, definition: string) =>
    `CREATE INDEX IF NOT EXISTS ${quoteIdent(identifierName(snapshotTable, suffix))} ON ${history} ${definition}`;

  const statements = [
    lockTrackedTable(spec),
    ...adoptLegacyHistoryTable(options, spec, snapshotTable, historyIndexSuffixes(spec.primaryKey), CAPTURE_FUNCTION_SUFFIXES),
    `CREATE TABLE IF NOT EXISTS ${history} (${[...HISTORY_META_COLUMNS, ...columns].map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`,
    ...[...HISTORY_META_COLUMNS, ...columns].map((c) => `ALTER TABLE ${history} ADD COLUMN IF NOT EXISTS ${quoteIdent(c.name)} ${c.type}`),
    ...columns.filter((c) => /^interval(\[\])?$/.test(c.type)).map((c) => widenInterval(history, c)),
    index('event_idx', '(rowtrail_event_id)'),
    // A record's versions in event order, compared in the key's own types (the query API's record
    // lookups); named after the key columns, so a new primary key gets its own index.
    index(keyIndexSuffix(spec.primaryKey), `(${keyColumns.map((c) => quoteIdent(c.name)).join(', ')}, rowtrail_event_id)`),
    // A request's changes (contextChanges, user and request filters).
    index('context_idx', '(rowtrail_context_id, rowtrail_event_id)'),
    // Time ranges (activity buckets, from/to filters) and the transactions after a watermark (an export's `after`):
    // rows arrive in time and transaction order, so a BRIN index suffices. One index for both columns (each is
    // summarized on its own): a single-row write pays for opening and probing one BRIN index, not two.
    index('created_at_txid_idx', 'USING brin (rowtrail_created_at, rowtrail_txid)'),
    // the time-only BRIN index history tables had before the watermark (the index above replaces it)
    `DROP INDEX IF EXISTS ${qualified(options.schema, identifierName(snapshotTable, 'created_at_idx'))}`,
    // Key changes by the key a record had before (a record's state under its old key): few rows, so partial.
    index('old_key_idx', '(rowtrail_old_record_key, rowtrail_event_id) WHERE rowtrail_old_record_key IS NOT NULL'),
    createFunction(fn('insert'), wholeRowCapture('INSERT', 'rowtrail_new'), ' SET jit = off'),
    createFunction(fn('update'), updateCapture),
    createFunction(fn('delete'), wholeRowCapture('DELETE', 'rowtrail_old'), ' SET jit = off'),
    createFunction(fn('key_change'), keyChangeCapture),
    createFunction(fn('truncate'), truncateCapture, ' SET jit = off'),
    ...trigger(CAPTURE_TRIGGER_NAMES.insert, `AFTER INSERT ON ${source} REFERENCING NEW TABLE AS rowtrail_new FOR EACH STATEMENT EXECUTE FUNCTION ${fn('insert')}()`),
    ...trigger(CAPTURE_TRIGGER_NAMES.update, `AFTER UPDATE ON ${source} REFERENCING OLD TABLE AS rowtrail_old NEW TABLE AS rowtrail_new FOR EACH STATEMENT EXECUTE FUNCTION ${fn('update')}()`),
    ...trigger(CAPTURE_TRIGGER_NAMES.delete, `AFTER DELETE ON ${source} REFERENCING OLD TABLE AS rowtrail_old FOR EACH STATEMENT EXECUTE FUNCTION ${fn('delete')}()`),
    ...trigger(CAPTURE_TRIGGER_NAMES.keyChange, `AFTER UPDATE ON ${source} FOR EACH ROW WHEN (${keyDiffers('OLD.', 'NEW.')}) EXECUTE FUNCTION ${fn('key_change')}()`),
    ...LEGACY_CAPTURE_TRIGGER_NAMES.map((name) => `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${source}`),
    ...trigger(CAPTURE_TRIGGER_NAMES.truncate, `BEFORE TRUNCATE ON ${source} FOR EACH STATEMENT EXECUTE FUNCTION ${fn('truncate')}()`),
  ];
  return { snapshotTable, statements, hash: sha256(statements.join(';\n')) };
}

/**
 * The lock a capture change takes first, before any on the history table: the one DROP TRIGGER takes later. A write
 * locks the tracked table and then, in its capture trigger, the history table; a capture change that locked the history
 * table first (ALTER TABLE … ADD COLUMN IF NOT EXISTS does, even when the column exists) and then waited for the
 * tracked table deadlocked with writes arriving in between.
 */
export function lockTrackedTable(spec: Pick<TrackedTableSpec, 'schema' | 'table'>): string {
  // in a DO block: LOCK TABLE alone fails outside a transaction block, where the statements may also be run one by one
  return `DO ${dollarQuote(` BEGIN LOCK TABLE ONLY ${qualified(spec.schema, spec.table)} IN ACCESS EXCLUSIVE MODE; END `)}`;
}

/**
 * An interval history column created with its source column's fields (`interval year to month`, before they counted as
 * a size limit) kept cutting values to them after the source column was widened: it becomes a plain interval. In
 * place: values fit, and PostgreSQL only changes the column's type modifier.
 */
function widenInterval(history: string, column: TrackedColumn): string {
  return `DO ${dollarQuote(` BEGIN
  IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = to_regclass(${quoteLiteral(history)}) AND attname = ${quoteLiteral(column.name)} AND NOT attisdropped AND atttypmod <> -1) THEN
    ALTER TABLE ${history} ALTER COLUMN ${quoteIdent(column.name)} TYPE ${column.type};
  END IF;
END `)}`;
}

/** Statements that remove a table's capture triggers, also under their earlier names (history tables are kept). */
export function buildDropCaptureDdl(spec: Pick<TrackedTableSpec, 'schema' | 'table'>): string[] {
  const source = qualified(spec.schema, spec.table);
  return ANY_CAPTURE_TRIGGER_NAMES.map((name) => `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${source}`);
}
