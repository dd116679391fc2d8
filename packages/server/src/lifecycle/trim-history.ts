import { qualified, quoteIdent } from '../ddl/quote.js';
import { resolveSchemaOptions } from '../ddl/tracked-table-spec.js';
import { splitTableName } from '../install/catalog-table-spec.js';
import { inTransaction, type Queryable } from '../install/database-client.js';
import { lockInstall } from '../install/install-lock.js';
import { historyTablesInSchema } from './history-tables.js';
import { registryRows } from './registry-rows.js';
import { contextCutoff, trimCutoff } from './trim-cutoff.js';

export interface TrimHistoryOptions {
  /** Rowtrail schema. Default "rowtrail". */
  schema?: string;
  /** Events before this instant are deleted (a Date, or ISO 8601; no offset means UTC). Give this or olderThan. */
  before?: Date | string;
  /** Events older than this PostgreSQL interval with its unit ('90 days', '2 years'), counted back from the database's now(). */
  olderThan?: string;
  /**
   * Tables ("schema.table", or "table" in public) whose history is trimmed. Default: every history table of the
   * schema, those a generated migration's down left without a registry row included.
   */
  tables?: string[];
  /** Why, recorded in the maintenance log after what was deleted. */
  reason?: string;
  /** Count what would be deleted and change nothing. */
  dryRun?: boolean;
}

export interface TrimmedTable {
  /** "schema.table"; null for a history table no tracked_table row names (left by a generated migration's down). */
  table: string | null;
  /** Its history table, qualified. */
  historyTable: string;
  /** Events deleted (or, in a dry run, that would be). */
  events: number;
}

export interface TrimHistoryResult {
  /** The cutoff, ISO 8601 in UTC with microseconds: events before it were deleted. */
  before: string;
  /**
   * Context rows were deleted only if older than this too: the cutoff, or the start of the oldest session connected
   * to the database when that is earlier (a session may still count a context it stored as stored, and write under it).
   */
  contextsBefore: string;
  tables: TrimmedTable[];
  /** Diffs in rowtrail.diff of the events deleted (events written before core version 5). */
  legacyDiffs: number;
  /** Context rows (who made the deleted changes) that no event kept refers to. */
  contexts: number;
  /** The maintenance log row of the deletion; null in a dry run. */
  maintenanceLogId: string | null;
  dryRun: boolean;
}

/**
 * Retention: deletes the events recorded before a cutoff, with the context rows only they referred to, in one
 * transaction inside a logged maintenance window (history is otherwise append-only), under the install lock. Each
 * event keeps its own diff, so the events kept read as before; a record's history then starts at its first kept
 * version. A table the registry does not know, and a cutoff that is not a time or lies in the future, fail before
 * anything changes.
 */
export async function trimHistory(db: Queryable, options: TrimHistoryOptions): Promise<TrimHistoryResult> {
  const { schema } = resolveSchemaOptions(options);
  const s = quoteIdent(schema);
  if ((options.before === undefined) === (options.olderThan === undefined)) throw new Error('Rowtrail: trimHistory needs one of before and olderThan');
  return inTransaction(db, async (client) => {
    await lockInstall(client, schema); // the registry and its history tables stay as read
    const before = await trimCutoff(client, options);
    const registry = await registryRows(client, schema);
    const named = options.tables?.map((given) => { const t = splitTableName(given); return `${t.schema}.${t.table}`; });
    const unknown = (named ?? []).filter((name) => !registry.has(name));
    if (unknown.length > 0) throw new Error(`Rowtrail: trim history: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not tracked by the Rowtrail installation in schema "${schema}"; nothing was deleted`);
    const tableOf = new Map([...registry.values()].map((r) => [r.snapshot_table, r.table_name]));
    // every history table holds events that keep contexts, registered or not
    const histories = (await historyTablesInSchema(client, schema)).map((snapshot) => ({ snapshot, table: tableOf.get(snapshot) ?? null }));
    const trimmed = histories.filter((h) => named === undefined || (h.table !== null && named.includes(h.table)));
    const contextsBefore = await contextCutoff(client, before);
    const result: TrimHistoryResult = { before, contextsBefore, tables: [], legacyDiffs: 0, contexts: 0, maintenanceLogId: null, dryRun: options.dryRun === true };
    if (!options.dryRun) {
      const what = `trim history: events before ${before} of ${named ? named.join(', ') : 'every history table'}`;
      const { rows: [log] } = await client.query<{ id: string }>(`SELECT ${s}.begin_maintenance($1)::text AS id`, [options.reason ? `${what}: ${options.reason}` : what]);
      result.maintenanceLogId = log.id;
    }
    const count = async (from: string, where: string, params: unknown[]): Promise<number> => {
      const sql = options.dryRun ? `SELECT count(*)::bigint AS n FROM ${from} WHERE ${where}` : `WITH gone AS (DELETE FROM ${from} WHERE ${where} RETURNING 1) SELECT count(*)::bigint AS n FROM gone`;
      return Number((await client.query<{ n: string }>(sql, params)).rows[0].n);
    };
    // $1 the cutoff, $2 the trimmed tables' names (null: all), $3 the contexts' cutoff
    const params = [before, named ?? null, contextsBefore];
    // contexts first: their condition reads the events, which in a dry run are all still there
    result.contexts = await count(`${s}.context c`, contextCondition(schema, histories, new Set(trimmed.map((h) => h.snapshot)), named !== undefined), params);
    for (const history of trimmed) {
      const events = await count(qualified(schema, history.snapshot), 'rowtrail_created_at < $1', [before]);
      result.tables.push({ table: history.table, historyTable: `${schema}.${history.snapshot}`, events });
    }
    result.legacyDiffs = await count(`${s}.diff d`, TRIMMED_DIFF, params.slice(0, 2));
    return result;
  });
}

/** Diffs "d" (rowtrail.diff, before core version 5) of the trimmed events: $1 the cutoff, $2 the tables (null: all). */
const TRIMMED_DIFF = 'd.created_at < $1 AND ($2::text[] IS NULL OR d.table_name = ANY($2::text[]))';

/**
 * Context rows "c" to delete: older than the contexts' cutoff ($3), referred to by no event kept (in any history table;
 * of a trimmed one, none at or after the cutoff $1) nor by a diff kept, and, when only some tables are trimmed,
 * referred to by an event trimmed (contexts that other trims or drops left behind are not this trim's to delete).
 */
function contextCondition(schema: string, histories: Array<{ snapshot: string }>, trimmed: Set<string>, onlySome: boolean): string {
  const refers = (snapshot: string, when: string) =>
    `SELECT 1 FROM ${qualified(schema, snapshot)} h WHERE h.rowtrail_context_id = c.id${when ? ` AND ${when}` : ''}`;
  const conditions = ['c.created_at < $3'];
  for (const { snapshot } of histories) conditions.push(`NOT EXISTS (${refers(snapshot, trimmed.has(snapshot) ? 'h.rowtrail_created_at >= $1' : '')})`);
  conditions.push(`NOT EXISTS (SELECT 1 FROM ${quoteIdent(schema)}.diff d WHERE d.context_id = c.id AND NOT (${TRIMMED_DIFF}))`);
  if (onlySome) {
    const trimmedRefs = [...trimmed].map((snapshot) => `EXISTS (${refers(snapshot, 'h.rowtrail_created_at < $1')})`);
    trimmedRefs.push(`EXISTS (SELECT 1 FROM ${quoteIdent(schema)}.diff d WHERE d.context_id = c.id AND ${TRIMMED_DIFF})`);
    conditions.push(`(${trimmedRefs.join(' OR ')})`);
  }
  return conditions.join(' AND ');
}
