import { CAPTURE_FUNCTION_SUFFIXES } from '../ddl/capture-ddl.js';
import { identifierName } from '../ddl/identifier-name.js';
import { qualified, quoteIdent } from '../ddl/quote.js';
import { resolveSchemaOptions } from '../ddl/tracked-table-spec.js';
import { splitTableName } from '../install/catalog-table-spec.js';
import { inTransaction, type Queryable } from '../install/database-client.js';
import { lockInstall, lockTrackedTables } from '../install/install-lock.js';
import { registryRows } from './registry-rows.js';
import { FLAG_KIND, requireOptions, SCHEMA_OPTION_KINDS } from '../option-kinds.js';
import { retryingLockConflicts } from '../install/lock-conflict-retry.js';

export interface UntrackOptions {
  /** Rowtrail schema. Default "rowtrail". */
  schema?: string;
  /** Also drop the tables' history tables with their history (recorded in the maintenance log). Default false: history is kept. */
  dropHistory?: boolean;
}

export interface UntrackResult {
  /** "schema.table" of each table whose capture was removed. */
  untracked: string[];
  /**
   * "schema.table" of each table the registry knows that had no capture to remove (untracked before, or its capture
   * triggers dropped by hand): nothing was recording its changes. Its registry row is marked as for `untracked`.
   */
  alreadyUntracked: string[];
  /** "schema.table" of each table the registry knows that no longer exists (dropped since its install): nothing recorded it. */
  goneTables: string[];
  /** History tables dropped (only with dropHistory), qualified. */
  droppedHistory: string[];
}

/**
 * Stops recording the changes of tables ("schema.table", or "table" in public): drops their capture triggers and
 * capture functions, in one transaction under the install lock. The way to stop tracking a table tracked with
 * `rowtrail install --table` (an application's status and prune leave those alone). History is kept, readable as
 * before, with the registry row marked as declared by nobody (status reports the history table orphaned; prune
 * --drop-history drops it), unless dropHistory. A name the registry does not know fails before anything changes.
 */
export async function untrack(db: Queryable, tables: string[], options: UntrackOptions = {}): Promise<UntrackResult> {
  requireOptions(options, 'untrack', { schema: SCHEMA_OPTION_KINDS.schema, dropHistory: FLAG_KIND });
  const { schema } = resolveSchemaOptions(options);
  const s = quoteIdent(schema);
  const names = [...new Map(tables.map((given) => {
    const t = splitTableName(given);
    return [`${t.schema}.${t.table}`, { ...t, name: `${t.schema}.${t.table}` }] as const;
  })).values()];
  return retryingLockConflicts(db, () => inTransaction(db, async (client) => {
    await lockInstall(client, schema);
    await lockTrackedTables(client, names);
    const registry = await registryRows(client, schema);
    const unknown = names.filter((t) => !registry.has(t.name)).map((t) => t.name);
    if (unknown.length > 0) {
      throw new Error(`Rowtrail: untrack: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not tracked by the Rowtrail installation in schema "${schema}" (no tracked_table row); nothing was changed`);
    }
    if (!options.dropHistory) {
      const { rows: [column] } = await client.query(`SELECT 1 AS present FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'declared_by' AND NOT attisdropped`, [`${s}.tracked_table`]);
      if (!column) throw new Error(`Rowtrail: untrack keeps history by marking its registry row as declared by nobody, which needs core version 9 in schema "${schema}": run rowtrail install first; nothing was changed`);
    }
    const result: UntrackResult = { untracked: [], alreadyUntracked: [], goneTables: [], droppedHistory: [] };
    for (const t of names) {
      const { snapshot_table: snapshot } = registry.get(t.name)!;
      // the triggers that run this table's capture functions, on whichever table they are now (one renamed since
      // keeps recording under its old name); another installation's triggers on the table are not this one's to remove
      const functions = CAPTURE_FUNCTION_SUFFIXES.map((suffix) => identifierName(snapshot, suffix));
      const { rows: triggers } = await client.query<{ name: string; table: string }>(
        `SELECT t.tgname AS name, t.tgrelid::regclass::text AS table FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
         WHERE p.pronamespace = to_regnamespace($1) AND p.proname = ANY($2::text[]) AND NOT t.tgisinternal`,
        [s, functions],
      );
      for (const trigger of triggers) await client.query(`DROP TRIGGER ${quoteIdent(trigger.name)} ON ${trigger.table}`);
      for (const name of functions) await client.query(`DROP FUNCTION IF EXISTS ${qualified(schema, name)}()`);
      const gone = triggers.length === 0 && (await client.query(`SELECT to_regclass($1) IS NULL AS gone`, [qualified(t.schema, t.table)])).rows[0].gone;
      (triggers.length > 0 ? result.untracked : gone ? result.goneTables : result.alreadyUntracked).push(t.name);
      if (options.dropHistory) {
        await client.query(`SELECT ${s}.begin_maintenance($1)`, [`untrack: drop history table ${schema}.${snapshot} of ${t.name}`]);
        // out of the registry and of rowtrail.event first: the view depends on the table
        await client.query(`DELETE FROM ${s}.tracked_table WHERE table_name = $1`, [t.name]);
        await client.query(`SELECT ${s}.refresh_event_view()`);
        await client.query(`DROP TABLE IF EXISTS ${qualified(schema, snapshot)}`);
        result.droppedHistory.push(`${schema}.${snapshot}`);
      } else {
        await client.query(`UPDATE ${s}.tracked_table SET declared_by = NULL WHERE table_name = $1`, [t.name]);
      }
    }
    return result;
  }));
}
