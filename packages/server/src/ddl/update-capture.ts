import { anyColumnDiffers, comparable } from './column-comparison.js';
import { duplicateKeyCheck } from './duplicate-key-check.js';
import { quoteLiteral } from './quote.js';
import { updateDiffExpression } from './update-diff-expression.js';
import type { CaptureParts } from './capture-parts.js';

/** The UPDATE capture's body (see the comments below for its paths: single row, by key, by position). */
export function updateCapture(parts: CaptureParts): string {
  const { spec, columns, history, keyColumns, compared, keyChangeSetting, keysChangedSetting, tableName, col, keyOf, asJsonb, insertInto, historyRow, prologue, saveContext, keyDiffers } = parts;
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
    .map((c) => `\n            AND (h.rowtrail_changes OPERATOR(pg_catalog.->) ${quoteLiteral(c.name)} IS NOT NULL OR NOT (${anyColumnDiffers([c], 'h.', 'n.')}))`).join('');
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
  // the insert of a single-row statement's history row, paired without a join, and its context row when it wrote one
  const recordSingleRow = `${insertInto}
    SELECT ${updateRow}
    FROM rowtrail_old o, rowtrail_new n
    ${changedRows()};
    IF FOUND THEN
      ${saveContext}
    END IF;`;
  return `${prologue(`
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
    ${recordSingleRow}
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
    ${recordSingleRow}
  END IF;
  RETURN NULL;
END`;
}
