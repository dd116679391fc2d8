import type pg from 'pg';
import type { BenchOptions } from './bench-options.js';
import { backendCpuMs } from './backend-cpu.js';
import { rotated, timed } from './stats.js';

/**
 * Copies of the history tables the UPDATE rows of the bulk run are inserted
 * into, to show where their cost goes. The first of each kind is the table as
 * installed; the jsonb record-key index is the one version 4 of the core
 * schema replaced by the snapshot table's typed key index.
 */
export const INDEX_VARIANTS = [
  'diff as installed',
  'diff with the former jsonb record-key index',
  'diff with its primary key only',
  'snapshot as installed',
  'snapshot without its key index',
] as const;
export type IndexVariant = (typeof INDEX_VARIANTS)[number];

export interface HistoryIndexCost {
  rows: number;
  /** Wall and backend CPU milliseconds of inserting the rows: [variant][trial]. */
  times: Record<IndexVariant, number[]>;
  cpuTimes?: Record<IndexVariant, number[]>;
  /** The index definitions that differ between variants. */
  formerRecordIndex: string;
  snapshotKeyIndex: string;
}

const FORMER_RECORD_INDEX = '(table_name, record_key, event_id)';

export async function measureHistoryIndexCost(writer: pg.Client, pid: number | undefined, options: BenchOptions, snapshotTable: string): Promise<HistoryIndexCost> {
  const copy: Record<IndexVariant, string> = {
    'diff as installed': 'diffcopy_installed',
    'diff with the former jsonb record-key index': 'diffcopy_record_key',
    'diff with its primary key only': 'diffcopy_pk',
    'snapshot as installed': 'snapcopy_installed',
    'snapshot without its key index': 'snapcopy_no_key',
  };
  const source = (variant: IndexVariant) => (variant.startsWith('diff') ? 'diff_source' : 'snapshot_source');
  await writer.query(`CREATE TEMP TABLE diff_source AS SELECT * FROM rowtrail.diff WHERE operation = 'UPDATE' LIMIT ${options.bulkRows}`);
  await writer.query(`CREATE TEMP TABLE snapshot_source AS SELECT s.* FROM rowtrail.${snapshotTable} s JOIN diff_source d ON d.event_id = s.rowtrail_event_id`);
  const rows = Number((await writer.query(`SELECT count(*) AS n FROM diff_source`)).rows[0].n);

  await writer.query(`CREATE TABLE ${copy['diff as installed']} (LIKE rowtrail.diff INCLUDING DEFAULTS INCLUDING INDEXES)`);
  await writer.query(`CREATE TABLE ${copy['diff with the former jsonb record-key index']} (LIKE rowtrail.diff INCLUDING DEFAULTS INCLUDING INDEXES)`);
  await writer.query(`CREATE INDEX ON ${copy['diff with the former jsonb record-key index']} ${FORMER_RECORD_INDEX}`);
  await writer.query(`CREATE TABLE ${copy['diff with its primary key only']} (LIKE rowtrail.diff INCLUDING DEFAULTS)`);
  await writer.query(`ALTER TABLE ${copy['diff with its primary key only']} ADD PRIMARY KEY (event_id)`);
  await writer.query(`CREATE TABLE ${copy['snapshot as installed']} (LIKE rowtrail.${snapshotTable} INCLUDING INDEXES)`);
  await writer.query(`CREATE TABLE ${copy['snapshot without its key index']} (LIKE rowtrail.${snapshotTable} INCLUDING INDEXES)`);
  const keyIndexOf = async (table: string) => (await writer.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = $1 AND indexdef NOT LIKE '%(rowtrail_event_id)'`, [table])).rows;
  const [snapshotKeyIndex] = await keyIndexOf(snapshotTable);
  if (!snapshotKeyIndex) throw new Error(`history index cost: rowtrail.${snapshotTable} has no key index`);
  for (const index of await keyIndexOf(copy['snapshot without its key index'])) await writer.query(`DROP INDEX ${index.name}`);

  const empty = () => Object.fromEntries(INDEX_VARIANTS.map((v) => [v, [] as number[]])) as Record<IndexVariant, number[]>;
  const times = empty();
  const cpuTimes = pid === undefined ? undefined : empty();
  for (let trial = 0; trial < options.bulkTrials; trial++) {
    for (const variant of rotated(INDEX_VARIANTS, trial)) {
      await writer.query(`TRUNCATE ${copy[variant]}`);
      const cpuBefore = pid === undefined ? 0 : backendCpuMs(pid)!;
      times[variant].push(await timed(() => writer.query(`INSERT INTO ${copy[variant]} SELECT * FROM ${source(variant)}`)));
      if (cpuTimes) cpuTimes[variant].push(backendCpuMs(pid!)! - cpuBefore);
    }
  }
  return {
    rows, times, cpuTimes, formerRecordIndex: `btree ${FORMER_RECORD_INDEX}`,
    snapshotKeyIndex: snapshotKeyIndex.def.replace(/^CREATE INDEX \S+ ON /, ''),
  };
}
