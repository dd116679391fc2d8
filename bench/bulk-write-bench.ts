import pg from 'pg';
import { buildDropCaptureDdl } from '../packages/server/src/ddl/capture-ddl.js';
import { install } from '../packages/server/src/install/installer.js';
import type { BenchOptions } from './bench-options.js';
import { BENCH_COLUMN_LIST, benchRowsSelect, benchTableSpec, createBenchTableSql } from './bench-table.js';
import { attachClassicAuditSql, CLASSIC_AUDIT_SETUP } from './classic-audit-trigger.js';
import { physicalLimitDelete, physicalLimitInsert, physicalLimitUpdate } from './physical-limit-sql.js';
import { backendCpuMs, readableBackendPid } from './backend-cpu.js';
import { measureHistoryIndexCost, type HistoryIndexCost } from './history-index-cost.js';
import { rotated, timed } from './stats.js';
import { inTransaction } from '../packages/server/src/install/database-client.js';

export const BULK_VARIANTS = ['plain', 'rowtrail', 'classic', 'limit'] as const;
export type BulkVariant = (typeof BULK_VARIANTS)[number];
export const BULK_OPERATIONS = ['INSERT', 'UPDATE', 'DELETE'] as const;
export type BulkOperation = (typeof BULK_OPERATIONS)[number];

export interface BulkWriteResult {
  rows: number;
  trials: number;
  /** Milliseconds per statement: times[operation][variant][trial]. */
  times: Record<BulkOperation, Record<BulkVariant, number[]>>;
  /** CPU milliseconds the server backend spent on each statement (same shape), when /proc shows the backend. */
  cpuTimes?: Record<BulkOperation, Record<BulkVariant, number[]>>;
  /** Where the cost of writing the history rows goes (indexes). */
  historyIndexCost: HistoryIndexCost;
  /** Rows written per changed row, checked after the last trial. */
  checks: Record<BulkVariant, string>;
}

const TABLE: Record<BulkVariant, string> = { plain: 'bulk_plain', rowtrail: 'bulk_rowtrail', classic: 'bulk_classic', limit: 'bulk_limit' };

function statements(variant: BulkVariant, rows: number): Record<BulkOperation, string> {
  const table = TABLE[variant];
  if (variant === 'limit') {
    return { INSERT: physicalLimitInsert(table, rows), UPDATE: physicalLimitUpdate(table), DELETE: physicalLimitDelete(table) };
  }
  return {
    INSERT: `INSERT INTO ${table} (${BENCH_COLUMN_LIST}) ${benchRowsSelect('1', String(rows))}`,
    UPDATE: `UPDATE ${table} SET amount = amount + 1`,
    DELETE: `DELETE FROM ${table}`,
  };
}

async function setUp(pool: pg.Pool): Promise<void> {
  for (const table of Object.values(TABLE)) await pool.query(createBenchTableSql(table));
  await install(pool, [benchTableSpec(TABLE.rowtrail), benchTableSpec(TABLE.limit)]);
  for (const sql of buildDropCaptureDdl({ schema: 'public', table: TABLE.limit })) await pool.query(sql);
  for (const sql of CLASSIC_AUDIT_SETUP) await pool.query(sql);
  await pool.query(attachClassicAuditSql(TABLE.classic));
}

/**
 * Empties every table the variants write (source tables, audit_log, the history tables and
 * rowtrail.context; since core version 5 nothing writes rowtrail.diff) so each variant starts
 * from the same state, and flushes dirty pages.
 */
async function reset(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    // History tables are append-only: emptying them takes an audited maintenance window.
    await client.query(`SELECT rowtrail.begin_maintenance('benchmark reset') WHERE to_regproc('rowtrail.begin_maintenance') IS NOT NULL`);
    // and TRUNCATE of a tracked table records its rows: not wanted for a reset (in the replica role, which only a
    // superuser may take, no trigger fires; otherwise the reset records them, slower but the same afterwards)
    await client.query(`SELECT set_config('session_replication_role', 'replica', true) FROM pg_roles WHERE rolname = current_user AND rolsuper`);
    await client.query(`TRUNCATE ${Object.values(TABLE).join(', ')}, audit_log, rowtrail.context,
      rowtrail.${TABLE.rowtrail}_history, rowtrail.${TABLE.limit}_history`);
  });
  await pool.query('CHECKPOINT').catch(() => undefined); // needs superuser or pg_checkpoint; best effort
}

/** Section 1: one-statement INSERT, UPDATE of one column and DELETE of N rows, four variants interleaved. */
export async function runBulkWriteBench(url: string, options: BenchOptions, log: (m: string) => void): Promise<BulkWriteResult> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // The measured statements run on one connection of their own, whose backend's CPU time is read from /proc.
  const writer = new pg.Client({ connectionString: url });
  await writer.connect();
  try {
    await setUp(pool);
    const pid = await readableBackendPid(writer);
    const empty = () => Object.fromEntries(BULK_OPERATIONS.map((op) => [op, Object.fromEntries(BULK_VARIANTS.map((v) => [v, [] as number[]]))])) as BulkWriteResult['times'];
    const times = empty();
    const cpuTimes = pid === undefined ? undefined : empty();
    for (let trial = 0; trial < options.bulkTrials; trial++) {
      for (const variant of rotated(BULK_VARIANTS, trial)) {
        await reset(pool);
        const sql = statements(variant, options.bulkRows);
        for (const op of BULK_OPERATIONS) {
          // Every statement starts right after a checkpoint: each then writes full-page images for the pages it is the
          // first to change, the same for every variant, and no timed checkpoint starts in the middle of one (which made
          // whichever variant it met pay for full-page images the others did not: UPDATE trials of one run ranged 1.0–1.5×).
          await pool.query('CHECKPOINT').catch(() => undefined);
          const cpuBefore = pid === undefined ? 0 : backendCpuMs(pid)!;
          times[op][variant].push(await timed(() => writer.query(sql[op])));
          if (cpuTimes) cpuTimes[op][variant].push(backendCpuMs(pid!)! - cpuBefore);
          if (op === 'INSERT') await writer.query(`ANALYZE ${TABLE[variant]}`);
        }
      }
      log(`bulk trial ${trial + 1}/${options.bulkTrials}: ${BULK_OPERATIONS.map((op) => `${op} ${BULK_VARIANTS.map((v) => `${v} ${Math.round(times[op][v][trial])}ms`).join(' ')}`).join(' | ')}`);
    }
    const checks = await verify(pool, options.bulkRows);
    const historyIndexCost = await measureHistoryIndexCost(writer, pid, options, `${TABLE.rowtrail}_history`);
    return { rows: options.bulkRows, trials: options.bulkTrials, times, cpuTimes, checks, historyIndexCost };
  } finally {
    await writer.end();
    await pool.end();
  }
}

const countRows = async (pool: pg.Pool, sql: string) => Number((await pool.query(sql)).rows[0].n);

/**
 * After a final round of all three statements (each its own autocommit transaction without a
 * context comment), every variant must have written what it claims: for Rowtrail and the limit,
 * one history row per changed row (seen through rowtrail.event too), the UPDATE's diff, and one
 * context-less context row per statement.
 */
async function verify(pool: pg.Pool, rows: number): Promise<Record<BulkVariant, string>> {
  const checks = {} as Record<BulkVariant, string>;
  await reset(pool);
  for (const variant of BULK_VARIANTS) {
    const sql = statements(variant, rows);
    for (const op of BULK_OPERATIONS) await pool.query(sql[op]);
  }
  checks.plain = 'no history';
  const statementCount = BULK_OPERATIONS.length;
  for (const variant of ['rowtrail', 'limit'] as const) {
    const table = TABLE[variant];
    const history = (await pool.query(`SELECT count(*)::int AS n,
        count(*) FILTER (WHERE rowtrail_event_id IS NULL OR rowtrail_created_at IS NULL OR rowtrail_label IS NULL OR rowtrail_operation IS NULL OR rowtrail_record_key IS NULL
          OR rowtrail_context_id IS NULL OR rowtrail_txid IS NULL OR rowtrail_changes IS NULL)::int AS incomplete,
        count(DISTINCT rowtrail_context_id)::int AS contexts,
        count(DISTINCT (rowtrail_operation, rowtrail_context_id))::int AS operation_contexts
      FROM rowtrail.${table}_history`)).rows[0] as { n: number; incomplete: number; contexts: number; operation_contexts: number };
    const events = await countRows(pool, `SELECT count(*) AS n FROM rowtrail.event WHERE table_name = 'public.${table}'`);
    const updateDiff = (await pool.query(`SELECT changes FROM rowtrail.event WHERE table_name = 'public.${table}' AND operation = 'UPDATE' AND record_key = '{"id": 1}'`)).rows[0]?.changes;
    // one context row per statement: each statement's context id stored exactly once, context-less
    const contextRows = (await pool.query(`SELECT count(*)::int AS n, count(DISTINCT c.id)::int AS ids, count(*) FILTER (WHERE c.metadata <> '{}')::int AS with_metadata
      FROM rowtrail.context c WHERE c.id IN (SELECT rowtrail_context_id FROM rowtrail.${table}_history)`)).rows[0] as { n: number; ids: number; with_metadata: number };
    const problems = [
      history.n !== 3 * rows && `${history.n} history rows`,
      history.incomplete !== 0 && `${history.incomplete} history rows with a missing meta column`,
      events !== 3 * rows && `${events} rows in rowtrail.event`,
      JSON.stringify(updateDiff) !== '{"amount":[0.01,1.01]}' && `update diff ${JSON.stringify(updateDiff)}`,
      // each statement's rows share one context id, and no two statements share one
      (history.contexts !== statementCount || history.operation_contexts !== statementCount) && `${history.contexts} context ids over ${history.operation_contexts} (operation, context id) pairs`,
      (contextRows.n !== statementCount || contextRows.ids !== statementCount || contextRows.with_metadata !== 0) && `${contextRows.n} context rows for ${contextRows.ids} ids (${contextRows.with_metadata} with metadata)`,
    ].filter(Boolean);
    if (problems.length > 0) {
      throw new Error(`bulk ${variant}: expected ${3 * rows} history rows (in rowtrail.event too) with update diff {"amount":[0.01,1.01]} and one context row per statement (${statementCount}), got ${problems.join('; ')}`);
    }
    checks[variant] = `${history.n} history rows + ${contextRows.n} context rows (one per statement) for 3 × ${rows} row changes`;
  }
  const contexts = await countRows(pool, `SELECT count(*) AS n FROM rowtrail.context`);
  if (contexts !== 2 * statementCount) throw new Error(`bulk: expected ${2 * statementCount} context rows in all (one per statement of (b) and (d)), got ${contexts}`);
  // reset() leaves rowtrail.diff alone: nothing in this run may have written it
  const legacy = await countRows(pool, `SELECT count(*) AS n FROM rowtrail.diff`);
  if (legacy !== 0) throw new Error(`bulk: ${legacy} rows in rowtrail.diff, which capture no longer writes since core version 5`);
  const audits = await countRows(pool, `SELECT count(*) AS n FROM audit_log`);
  if (audits !== 3 * rows) throw new Error(`bulk classic: expected ${3 * rows} audit rows, got ${audits}`);
  checks.classic = `${audits} audit rows for 3 × ${rows} row changes`;
  return checks;
}
