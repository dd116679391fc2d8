import type pg from 'pg';
import { qualified, quoteIdent } from '../ddl/quote.js';
import { resolveSchemaOptions } from '../ddl/tracked-table-spec.js';
import { splitTableName } from '../install/catalog-table-spec.js';
import { inTransaction, type Queryable } from '../install/database-client.js';
import { lockInstall } from '../install/install-lock.js';
import { hasKeyChangeStatement, sameKeyChangeStatement } from '../query/key-change-statement.js';
import { historyTablesInSchema } from './history-tables.js';
import { registryRows } from './registry-rows.js';
import { contextCutoff, requireTrimOptions, trimCutoff, TrimOptionError, type TrimHistoryOptions } from './trim-cutoff.js';

export type { TrimHistoryOptions } from './trim-cutoff.js';

export interface TrimmedTable {
  /** "schema.table"; null for a history table no tracked_table row names (left by a generated migration's down). */
  table: string | null;
  /** Its history table, qualified. */
  historyTable: string;
  /** Events deleted (or, in a dry run, that would be). */
  events: number;
  /** Records whose last version before the cutoff was kept: their state at the cutoff (not a deletion). */
  keptLastVersions: number;
}

export interface TrimHistoryResult {
  /** The cutoff, ISO 8601 in UTC with microseconds: events before it were deleted, but each record's last one. */
  before: string;
  /**
   * Context rows were deleted only if older than this too: the cutoff, or the start of the oldest session connected
   * to the database when that is earlier (a session may still count a context it stored as stored, and write under it).
   */
  contextsBefore: string;
  tables: TrimmedTable[];
  /** Diffs in rowtrail.diff of the events deleted (events written before core version 5). */
  legacyDiffs: number;
  /** Context rows (who made the deleted changes) that no event refers to any more. */
  contexts: number;
  /** The maintenance log row of the deletion; null in a dry run, and when there was nothing to delete. */
  maintenanceLogId: string | null;
  dryRun: boolean;
}

/**
 * Retention: deletes the events recorded before a cutoff, but each record's last version before it (unless that was
 * its deletion), so every record keeps its state at the cutoff; then the context rows no event refers to any more. One
 * transaction inside a logged maintenance window (history is otherwise append-only), under the install lock; a dry
 * run does the same and rolls back, so its counts are exact. Bad options (an unknown one, a table the registry does not
 * know, a cutoff that is not a time or lies in the future) throw TrimOptionError before anything changes.
 */
export async function trimHistory(db: Queryable, options: TrimHistoryOptions): Promise<TrimHistoryResult> {
  requireTrimOptions(options);
  const { schema } = resolveSchemaOptions(options);
  const s = quoteIdent(schema);
  const nothingDeleted = (r: TrimHistoryResult) => r.contexts + r.legacyDiffs + r.tables.reduce((n, t) => n + t.events, 0) === 0;
  return inTransaction(db, async (client) => {
    await lockInstall(client, schema); // the registry and its history tables stay as read
    const before = await trimCutoff(client, options);
    const registry = await registryRows(client, schema);
    const named = options.tables?.map((given) => { const t = splitTableName(given); return `${t.schema}.${t.table}`; });
    const unknown = (named ?? []).filter((name) => !registry.has(name));
    if (unknown.length > 0) throw new TrimOptionError('tables', `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not tracked by the Rowtrail installation in schema "${schema}"; nothing was deleted`);
    const tableOf = new Map([...registry.values()].map((r) => [r.snapshot_table, r.table_name]));
    // every history table holds events that keep contexts, registered or not
    const histories = (await historyTablesInSchema(client, schema)).map((snapshot) => ({ snapshot, table: tableOf.get(snapshot) ?? null }));
    const trimmed = histories.filter((h) => named === undefined || (h.table !== null && named.includes(h.table)));
    const contextsBefore = await contextCutoff(client, before);
    const what = `trim history: events before ${before} of ${named ? named.join(', ') : 'every history table'}`;
    const { rows: [log] } = await client.query<{ id: string }>(`SELECT ${s}.begin_maintenance($1)::text AS id`, [options.reason ? `${what}: ${options.reason}` : what]);
    const result: TrimHistoryResult = { before, contextsBefore, tables: [], legacyDiffs: 0, contexts: 0, maintenanceLogId: log.id, dryRun: options.dryRun === true };
    for (const history of trimmed) result.tables.push({ table: history.table, historyTable: `${schema}.${history.snapshot}`, ...await trimTable(client, schema, history.snapshot, before) });
    for (const history of trimmed.filter((h) => h.table !== null)) result.legacyDiffs += await deletedDiffs(client, schema, history.snapshot, history.table!, before);
    result.contexts = await count(client, `DELETE FROM ${s}.context c WHERE ${unusedContext(schema, histories.map((h) => h.snapshot))} RETURNING 1`, [contextsBefore]);
    if (result.dryRun || nothingDeleted(result)) result.maintenanceLogId = null;
    return result;
  }, { rollbackIf: (r) => r.dryRun || nothingDeleted(r) });
}

const count = async (client: pg.ClientBase, deleteReturning: string, params: unknown[]): Promise<number> =>
  Number((await client.query<{ n: string }>(`WITH gone AS (${deleteReturning}) SELECT count(*)::bigint AS n FROM gone`, params)).rows[0].n);

/**
 * Deletes a history table's events before the cutoff but each record's last one, unless that was its deletion: a
 * record is its key as the capture wrote it (the same instant written from two time zones counts as two keys, which
 * only keeps one version more). A key change is its record's last event under the old key too, where it ends the
 * record as a deletion does (it is kept, under the new key, when it is the new key's last event), unless the same
 * statement brought another row to that key (rows swapping keys), as recordStateAt() reads it.
 */
async function trimTable(client: pg.ClientBase, schema: string, snapshot: string, before: string): Promise<{ events: number; keptLastVersions: number }> {
  const history = qualified(schema, snapshot);
  const sameStatement = sameKeyChangeStatement('a', 'd', await hasKeyChangeStatement(client, history));
  const { rows: [row] } = await client.query<{ events: string; kept: string }>(
    `WITH events AS (
       SELECT rowtrail_record_key AS record_key, rowtrail_event_id AS event_id, rowtrail_operation AS operation
       FROM ${history} WHERE rowtrail_created_at < $1
       UNION ALL
       SELECT d.rowtrail_old_record_key, d.rowtrail_event_id, 'KEY CHANGED AWAY'
       FROM ${history} d WHERE d.rowtrail_created_at < $1 AND d.rowtrail_old_record_key IS NOT NULL
         -- not when the same statement brought another row to the key: a swap
         AND NOT EXISTS (SELECT 1 FROM ${history} a WHERE a.rowtrail_old_record_key IS NOT NULL AND a.rowtrail_record_key = d.rowtrail_old_record_key
           AND ${sameStatement})
     ), last AS (
       SELECT DISTINCT ON (record_key) event_id, operation FROM events ORDER BY record_key, event_id DESC
     ), kept AS (SELECT event_id FROM last WHERE operation NOT IN ('DELETE', 'KEY CHANGED AWAY')),
     gone AS (DELETE FROM ${history} h WHERE h.rowtrail_created_at < $1 AND NOT EXISTS (SELECT 1 FROM kept k WHERE k.event_id = h.rowtrail_event_id) RETURNING 1)
     SELECT (SELECT count(*) FROM gone)::bigint AS events, (SELECT count(*) FROM kept)::bigint AS kept`, [before]);
  return { events: Number(row.events), keptLastVersions: Number(row.kept) };
}

/** Deletes the rowtrail.diff rows (before core version 5) of a table's events that are no longer in its history table. */
function deletedDiffs(client: pg.ClientBase, schema: string, snapshot: string, table: string, before: string): Promise<number> {
  return count(client, `DELETE FROM ${quoteIdent(schema)}.diff d WHERE d.table_name = $2 AND d.created_at < $1
    AND NOT EXISTS (SELECT 1 FROM ${qualified(schema, snapshot)} h WHERE h.rowtrail_event_id = d.event_id) RETURNING 1`, [before, table]);
}

/** Context rows "c" older than $1 that no event refers to: none in any history table, none in rowtrail.diff. */
function unusedContext(schema: string, snapshots: string[]): string {
  return ['c.created_at < $1',
    ...snapshots.map((snapshot) => `NOT EXISTS (SELECT 1 FROM ${qualified(schema, snapshot)} h WHERE h.rowtrail_context_id = c.id)`),
    `NOT EXISTS (SELECT 1 FROM ${quoteIdent(schema)}.diff d WHERE d.context_id = c.id)`].join(' AND ');
}
