import { CAPTURE_FUNCTION_SUFFIXES } from '../ddl/capture-ddl.js';
import { identifierName } from '../ddl/identifier-name.js';
import { qualified, quoteIdent } from '../ddl/quote.js';
import { resolveSchemaOptions, type TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { inTransaction, type Queryable } from '../install/database-client.js';
import { lockInstall } from '../install/install-lock.js';
import { collectStatus, type StatusEntry, type StatusOptions } from './status.js';
import { FLAG_KIND, PROTECTIONS_KIND, requireSchemaOptions } from '../option-kinds.js';
import { retryingLockConflicts } from '../install/lock-conflict-retry.js';

export interface PruneOptions extends StatusOptions {
  /** Also drop orphaned history tables with their history (logged in the maintenance log). Default false: history is kept. */
  dropHistory?: boolean;
  /**
   * Prune even when nothing is declared (no tracked table or @Tracked entity, no protection): that removes the capture and
   * protections of every table the schema tracks. Default false: refused, since an empty declaration is far
   * more often the wrong module, or entities whose decorators never ran, than a decision to stop tracking.
   */
  allowEmpty?: boolean;
  /**
   * Also remove the objects of tables another application declares (status reports them installed, with declaredWith):
   * for when this application's declarations replaced that whole set (every table it declared renamed or dropped from
   * the entities at once), or that application is gone. Default false: they are left alone. Their declaration rows go too.
   */
  otherApplications?: boolean;
}

/**
 * Removes orphaned Rowtrail triggers and generated functions: those no tracked
 * entity or protection declares any more. Orphaned history tables are kept
 * unless dropHistory is set. One transaction, under the install lock.
 * Returns the entries it removed.
 */
export async function prune(db: Queryable, tracked: TrackedTableSpec[], options: PruneOptions = {}): Promise<StatusEntry[]> {
  requireSchemaOptions(options, 'prune', { protections: PROTECTIONS_KIND, dropHistory: FLAG_KIND, allowEmpty: FLAG_KIND, otherApplications: FLAG_KIND });
  const resolved = resolveSchemaOptions(options);
  const s = quoteIdent(resolved.schema);
  return retryingLockConflicts(db, () => inTransaction(db, async (client) => {
    await lockInstall(client, resolved.schema);
    const { entries } = await collectStatus(client, tracked, options.protections ?? [], resolved);
    // what this prune removes: orphaned triggers and functions, and orphaned history tables only when asked; another
    // application's only when asked. Nothing declared shares no table with any declaration: all of them then, as before
    // core version 23 (refused below unless allowEmpty)
    const empty = tracked.length === 0 && !options.protections?.length;
    const orphaned = entries.filter((x) => (x.state === 'orphaned' || ((options.otherApplications || empty) && x.declaredWith))
      && (x.kind !== 'history-table' || options.dropHistory));
    if (empty && !options.allowEmpty && orphaned.length > 0) {
      const tables = [...new Set(orphaned.map((e) => e.table).filter(Boolean))].sort();
      throw new Error(`Rowtrail: prune refused: nothing is declared (no tracked table or @Tracked entity, no protection), so it would remove ${orphaned.length} object(s) of schema "${resolved.schema}", `
        + `the capture and protections of ${tables.length ? tables.join(', ') : 'its history tables'}. If that is what you want, pass allowEmpty: true (rowtrail prune --allow-empty); `
        + 'to remove Rowtrail altogether, use uninstall.');
    }
    const removed: StatusEntry[] = [];
    for (const e of orphaned) {
      const dot = e.table.indexOf('.');
      if (e.kind === 'trigger') {
        await client.query(`DROP TRIGGER IF EXISTS ${quoteIdent(e.name)} ON ${qualified(e.table.slice(0, dot), e.table.slice(dot + 1))}`);
        removed.push(e);
      } else if (e.kind === 'function') {
        await client.query(`DROP FUNCTION IF EXISTS ${e.name}`);
        removed.push(e);
      } else if (e.kind === 'history-table') {
        const snapshot = e.name.slice(resolved.schema.length + 1);
        // e.table is "" for a history table no registry row names (its source table is not known)
        await client.query(`SELECT ${s}.begin_maintenance($1)`, [`prune: drop orphaned history table ${e.name}${e.table ? ` of ${e.table}` : ''}`]);
        for (const suffix of CAPTURE_FUNCTION_SUFFIXES) {
          await client.query(`DROP FUNCTION IF EXISTS ${qualified(resolved.schema, identifierName(snapshot, suffix))}() CASCADE`);
        }
        // out of the registry and of rowtrail.event first: the view depends on the table
        if (e.table) await client.query(`DELETE FROM ${s}.tracked_table WHERE table_name = $1`, [e.table]);
        await client.query(`SELECT ${s}.refresh_event_view()`);
        await client.query(`DROP TABLE IF EXISTS ${qualified(resolved.schema, snapshot)}`);
        removed.push(e);
      }
    }
    // another application's tables pruned on purpose: their objects left (history kept) count as orphaned from now on
    const foreign = [...new Set(removed.filter((e) => e.declaredWith).map((e) => e.table))];
    if (foreign.length > 0) await client.query(`DELETE FROM ${s}.declaration WHERE table_name = ANY ($1::text[])`, [foreign]);
    return removed;
  }));
}
