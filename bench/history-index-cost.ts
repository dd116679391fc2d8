import type pg from 'pg';
import type { BenchOptions } from './bench-options.js';
import { backendCpuMs } from './backend-cpu.js';
import { rotated, timed } from './stats.js';

/** The indexes the capture DDL gives a history table, by what they serve. */
export const HISTORY_INDEXES = ['event', 'key', 'context', 'time', 'oldKey'] as const;
export type HistoryIndex = (typeof HISTORY_INDEXES)[number];

/**
 * Copies of the history table the UPDATE history rows of the bulk run are
 * inserted into, to show where a history row's cost goes: each copy keeps
 * some of the installed table's indexes. The first is the table as installed.
 */
const VARIANTS = [
  { name: 'history as installed', copy: 'histcopy_installed', keeps: ['event', 'key', 'context', 'time', 'oldKey'] },
  { name: 'without its BRIN on time', copy: 'histcopy_no_time', keeps: ['event', 'key', 'context', 'oldKey'] },
  { name: 'without its context index', copy: 'histcopy_no_context', keeps: ['event', 'key', 'time', 'oldKey'] },
  { name: 'without its key index', copy: 'histcopy_no_key', keeps: ['event', 'context', 'time', 'oldKey'] },
  { name: 'without its old-key index', copy: 'histcopy_no_old_key', keeps: ['event', 'key', 'context', 'time'] },
  { name: 'event index only', copy: 'histcopy_event_only', keeps: ['event'] },
  { name: 'no index', copy: 'histcopy_heap_only', keeps: [] },
] as const satisfies ReadonlyArray<{ name: string; copy: string; keeps: readonly HistoryIndex[] }>;

export type IndexVariant = (typeof VARIANTS)[number]['name'];
export const INDEX_VARIANTS: readonly IndexVariant[] = VARIANTS.map((v) => v.name);
/** The indexes each copy keeps. */
export const INDEXES_KEPT = Object.fromEntries(VARIANTS.map((v) => [v.name, v.keeps as readonly HistoryIndex[]])) as Record<IndexVariant, readonly HistoryIndex[]>;

export interface HistoryIndexCost {
  /** History rows inserted per trial. */
  rows: number;
  /** The history table the copies are made of (inside the rowtrail schema). */
  historyTable: string;
  /** Wall and backend CPU milliseconds of inserting the rows: [variant][trial]. */
  times: Record<IndexVariant, number[]>;
  cpuTimes?: Record<IndexVariant, number[]>;
  /** The installed history table's indexes, e.g. key: "USING btree (id, rowtrail_event_id)". */
  indexes: Record<HistoryIndex, string>;
}

/** What an installed history index serves, from its definition (capture-ddl.ts). */
function indexRole(definition: string): HistoryIndex {
  if (/WHERE \(rowtrail_old_record_key IS NOT NULL\)$/.test(definition)) return 'oldKey';
  if (/USING brin \(rowtrail_created_at(, rowtrail_txid)?\)$/.test(definition)) return 'time';
  if (/\(rowtrail_context_id, rowtrail_event_id\)$/.test(definition)) return 'context';
  if (/\(rowtrail_event_id\)$/.test(definition)) return 'event';
  return 'key'; // the record's key columns, then rowtrail_event_id
}

export async function measureHistoryIndexCost(writer: pg.Client, pid: number | undefined, options: BenchOptions, historyTable: string): Promise<HistoryIndexCost> {
  // The history rows of the run's last UPDATE, in event order (as the capture writes them).
  await writer.query(`CREATE TEMP TABLE history_source AS
    SELECT * FROM rowtrail.${historyTable} WHERE rowtrail_operation = 'UPDATE' ORDER BY rowtrail_event_id LIMIT ${options.bulkRows}`);
  const rows = Number((await writer.query(`SELECT count(*) AS n FROM history_source`)).rows[0].n);

  const installed = (await writer.query<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'rowtrail' AND tablename = $1`, [historyTable])).rows;
  const byRole = new Map<HistoryIndex, string>();
  for (const { def } of installed) {
    const role = indexRole(def);
    if (byRole.has(role)) throw new Error(`history index cost: rowtrail.${historyTable} has two ${role} indexes`);
    byRole.set(role, def);
  }
  const missing = HISTORY_INDEXES.filter((role) => !byRole.has(role));
  if (missing.length > 0) throw new Error(`history index cost: rowtrail.${historyTable} lacks its ${missing.join(', ')} index`);
  // "CREATE INDEX <name> ON rowtrail.<table> USING ..." → "USING ...", to be created on a copy
  const body = (role: HistoryIndex) => byRole.get(role)!.replace(/^CREATE INDEX \S+ ON \S+ /, '');

  for (const v of VARIANTS) {
    await writer.query(`CREATE TABLE ${v.copy} (LIKE rowtrail.${historyTable})`);
    for (const role of v.keeps) await writer.query(`CREATE INDEX ON ${v.copy} ${body(role)}`);
  }

  const copyOf = Object.fromEntries(VARIANTS.map((v) => [v.name, v.copy])) as Record<IndexVariant, string>;
  const empty = () => Object.fromEntries(INDEX_VARIANTS.map((v) => [v, [] as number[]])) as Record<IndexVariant, number[]>;
  const times = empty();
  const cpuTimes = pid === undefined ? undefined : empty();
  for (let trial = 0; trial < options.bulkTrials; trial++) {
    for (const variant of rotated(INDEX_VARIANTS, trial)) {
      await writer.query(`TRUNCATE ${copyOf[variant]}`);
      const cpuBefore = pid === undefined ? 0 : backendCpuMs(pid)!;
      times[variant].push(await timed(() => writer.query(`INSERT INTO ${copyOf[variant]} SELECT * FROM history_source`)));
      if (cpuTimes) cpuTimes[variant].push(backendCpuMs(pid!)! - cpuBefore);
    }
  }
  return { rows, historyTable, times, cpuTimes, indexes: Object.fromEntries(HISTORY_INDEXES.map((role) => [role, body(role)])) as Record<HistoryIndex, string> };
}
