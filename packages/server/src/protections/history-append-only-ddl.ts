import { qualified, quoteIdent } from '../ddl/quote.js';
import { triggerGroup, type TriggerGroupDdl } from './trigger-group.js';

export const HISTORY_APPEND_ONLY_TRIGGER = 'rowtrail_append_only';

/**
 * Makes a snapshot table append-only: UPDATE, DELETE and TRUNCATE are refused
 * unless the transaction opened an audited maintenance window
 * (rowtrail.begin_maintenance(reason)). Statement-level, so inserts by the
 * capture triggers cost nothing. Pure.
 */
export function buildHistoryAppendOnlyDdl(rowtrailSchema: string, snapshotTable: string): TriggerGroupDdl {
  const table = qualified(rowtrailSchema, snapshotTable);
  const name = quoteIdent(HISTORY_APPEND_ONLY_TRIGGER);
  return triggerGroup(
    { schema: rowtrailSchema, table: snapshotTable, name: 'append_only', triggers: [HISTORY_APPEND_ONLY_TRIGGER], functions: [] },
    [
      `DROP TRIGGER IF EXISTS ${name} ON ${table}`,
      `CREATE TRIGGER ${name} BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${quoteIdent(rowtrailSchema)}.refuse_history_change()`,
    ],
  );
}

