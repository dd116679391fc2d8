import type pg from 'pg';
import { qualified, quoteIdent } from '../ddl/quote.js';
import { resolveSchemaOptions } from '../ddl/tracked-table-spec.js';
import { splitTableName } from '../install/catalog-table-spec.js';
import { inTransaction, type Queryable } from '../install/database-client.js';
import { lockInstall } from '../install/install-lock.js';
import { requireInstant } from '../query/iso-time.js';
import { registryRows } from './registry-rows.js';

export interface TrimHistoryOptions {
  /** Rowtrail schema. Default "rowtrail". */
  schema?: string;
  /** Events before this instant are deleted (a Date, or ISO 8601; no offset means UTC). Give this or olderThan. */
  before?: Date | string;
  /** Events older than this PostgreSQL interval ('90 days', '2 years'), counted back from the database's now(). */
  olderThan?: string;
  /** Tables ("schema.table", or "table" in public) whose history is trimmed. Default: every table the registry lists. */
  tables?: string[];
  /** Why, recorded in the maintenance log after what was deleted. */
  reason?: string;
  /** Count what would be deleted and change nothing. */
  dryRun?: boolean;
}

export interface TrimmedTable {
  /** "schema.table" */
  table: string;
  /** Its history table, qualified. */
  historyTable: string;
  /** Events deleted (or, in a dry run, that would be). */
  events: number;
}

export interface TrimHistoryResult {
  /** The cutoff, ISO 8601 in UTC with microseconds: events before it were deleted. */
  before: string;
  tables: TrimmedTable[];
  /** Diffs of the trimmed tables in rowtrail.diff (events written before core version 5). */
  legacyDiffs: number;
  /** Context rows older than the cutoff that no event kept refers to (who made the deleted changes). */
  contexts: number;
  /** The maintenance log row of the deletion; null in a dry run. */
  maintenanceLogId: string | null;
  dryRun: boolean;
}

/**
 * Retention: deletes the events recorded before a cutoff, with the context rows only they referred to, in one
 * transaction inside a logged maintenance window (history is otherwise append-only). Each event keeps its own diff,
 * so the events kept read as before; a record's history then starts at its first kept version. A table the registry
 * does not know, a cutoff that is not a time or lies in the future, fail before anything changes.
 */
export async function trimHistory(db: Queryable, options: TrimHistoryOptions): Promise<TrimHistoryResult> {
  const { schema } = resolveSchemaOptions(options);
  const s = quoteIdent(schema);
  if ((options.before === undefined) === (options.olderThan === undefined)) throw new Error('Rowtrail: trimHistory needs one of before and olderThan');
  return inTransaction(db, async (client) => {
    await lockInstall(client, schema); // the registry and its history tables stay as read
    const before = await cutoff(client, options);
    const registry = await registryRows(client, schema);
    const named = options.tables?.map((given) => { const t = splitTableName(given); return `${t.schema}.${t.table}`; });
    const unknown = (named ?? []).filter((name) => !registry.has(name));
    if (unknown.length > 0) throw new Error(`Rowtrail: trim history: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not tracked by the Rowtrail installation in schema "${schema}"; nothing was deleted`);
    const trimmed = new Set(named ?? registry.keys());
    // history tables that exist (a registry row whose history table was dropped by hand holds nothing to trim)
    const { rows: present } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM ${s}.tracked_table WHERE to_regclass(format('%I.%I', $1::text, snapshot_table)) IS NOT NULL ORDER BY table_name`, [schema]);
    const histories = present.map((r) => registry.get(r.table_name)!).filter(Boolean);
    const result: TrimHistoryResult = { before, tables: [], legacyDiffs: 0, contexts: 0, maintenanceLogId: null, dryRun: options.dryRun === true };
    if (!options.dryRun) {
      const what = `trim history: events before ${before} of ${named ? [...trimmed].join(', ') : 'every tracked table'}`;
      const { rows: [log] } = await client.query<{ id: string }>(`SELECT ${s}.begin_maintenance($1)::text AS id`, [options.reason ? `${what}: ${options.reason}` : what]);
      result.maintenanceLogId = log.id;
    }
    const verb = options.dryRun ? 'SELECT count(*)::bigint AS n FROM' : 'WITH gone AS (DELETE FROM';
    const count = async (from: string, where: string, params: unknown[]): Promise<number> => {
      const sql = options.dryRun ? `${verb} ${from} WHERE ${where}` : `${verb} ${from} WHERE ${where} RETURNING 1) SELECT count(*)::bigint AS n FROM gone`;
      return Number((await client.query<{ n: string }>(sql, params)).rows[0].n);
    };
    // contexts first: their condition reads the events kept, which in a dry run are still all there
    result.contexts = await count(`${s}.context c`, orphanedContext(schema, histories, trimmed), [before, [...trimmed]]);
    for (const history of histories.filter((h) => trimmed.has(h.table_name))) {
      const events = await count(qualified(schema, history.snapshot_table), 'rowtrail_created_at < $1', [before]);
      result.tables.push({ table: history.table_name, historyTable: `${schema}.${history.snapshot_table}`, events });
    }
    result.legacyDiffs = await count(`${s}.diff`, 'created_at < $1 AND table_name = ANY($2::text[])', [before, [...trimmed]]);
    return result;
  });
}

/** The cutoff as the database reads it, in UTC; refused when it is not a time or is after now(). */
async function cutoff(client: pg.ClientBase, options: TrimHistoryOptions): Promise<string> {
  let value: string;
  if (options.before !== undefined) {
    value = requireInstant(options.before, 'before').text;
  } else {
    try {
      value = (await client.query<{ t: string }>(`SELECT (now() - $1::interval)::text AS t`, [options.olderThan])).rows[0].t;
    } catch (error) {
      // invalid_datetime_format, datetime_field_overflow, interval_field_overflow: the transaction ends with the error
      if (!['22007', '22008', '22015'].includes((error as { code?: string }).code ?? '')) throw error;
      const message = `${JSON.stringify(options.olderThan)} is not a PostgreSQL interval such as '90 days' or '2 years'`;
      throw Object.assign(new Error(`Rowtrail: olderThan: ${message}`, { cause: error }), { parameter: 'olderThan', reason: message });
    }
  }
  const { rows: [row] } = await client.query<{ t: string; future: boolean }>(
    `SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t, $1::timestamptz > now() AS future`, [value]);
  if (row.future) throw new Error(`Rowtrail: trim history: the cutoff ${row.t} is in the future, which would delete every event; nothing was deleted`);
  return row.t;
}

/**
 * Contexts "c" older than the cutoff ($1) that no event kept refers to: none in a history table (of a trimmed table
 * ($2), none at or after the cutoff) and none in rowtrail.diff. Each history table's context index answers it.
 */
function orphanedContext(schema: string, histories: Array<{ table_name: string; snapshot_table: string }>, trimmed: Set<string>): string {
  const kept = histories.map((h) => `NOT EXISTS (SELECT 1 FROM ${qualified(schema, h.snapshot_table)} h WHERE h.rowtrail_context_id = c.id${trimmed.has(h.table_name) ? ' AND h.rowtrail_created_at >= $1' : ''})`);
  kept.push(`NOT EXISTS (SELECT 1 FROM ${quoteIdent(schema)}.diff d WHERE d.context_id = c.id AND NOT (d.created_at < $1 AND d.table_name = ANY($2::text[])))`);
  return ['c.created_at < $1', ...kept].join(' AND ');
}
