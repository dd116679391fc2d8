import { updateDiffExpression } from './update-diff-expression.js';
import type { CaptureParts } from './capture-parts.js';

/**
 * The key-change capture's body: a row-level trigger for updates that change the primary key, which transition tables
 * cannot pair with their old rows.
 */
export function keyChangeCapture(parts: CaptureParts): string {
  const { columns, keyChangeSetting, keysChangedSetting, col, keyOf, asJsonb, insertInto, nextEventId, historyRow, prologue, saveContext } = parts;
  return `${prologue(`
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
}
