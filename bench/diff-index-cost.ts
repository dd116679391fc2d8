import type pg from 'pg';
import type { BenchOptions } from './bench-options.js';
import { backendCpuMs } from './backend-cpu.js';
import { rotated, timed } from './stats.js';

export const INDEX_VARIANTS = ['all indexes', 'without the record-key index', 'primary key only'] as const;
export type IndexVariant = (typeof INDEX_VARIANTS)[number];

export interface DiffIndexCost {
  rows: number;
  /** Wall and backend CPU milliseconds of inserting the rows: [variant][trial]. */
  times: Record<IndexVariant, number[]>;
  cpuTimes?: Record<IndexVariant, number[]>;
  /** The index left out by the second variant. */
  recordIndex: string;
}

/**
 * Where the cost of writing diff rows goes: the UPDATE diff rows of the bulk
 * run inserted into copies of rowtrail.diff with all its indexes, without the
 * (table_name, record_key, event_id) index, and with the primary key only.
 */
export async function measureDiffIndexCost(writer: pg.Client, pid: number | undefined, options: BenchOptions): Promise<DiffIndexCost> {
  const { rows: indexes } = await writer.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'rowtrail' AND tablename = 'diff'`);
  const recordIndex = indexes.find((i) => /record_key/.test(i.def) && !/old_record_key/.test(i.def));
  if (!recordIndex) throw new Error('diff index cost: no index on rowtrail.diff (…, record_key, …) found');
  const table: Record<IndexVariant, string> = { 'all indexes': 'diffcopy_all', 'without the record-key index': 'diffcopy_no_record', 'primary key only': 'diffcopy_pk' };
  await writer.query(`CREATE TEMP TABLE diff_source AS SELECT * FROM rowtrail.diff WHERE operation = 'UPDATE' LIMIT ${options.bulkRows}`);
  const rows = Number((await writer.query(`SELECT count(*) AS n FROM diff_source`)).rows[0].n);
  await writer.query(`CREATE TABLE ${table['all indexes']} (LIKE rowtrail.diff INCLUDING DEFAULTS INCLUDING INDEXES)`);
  await writer.query(`CREATE TABLE ${table['without the record-key index']} (LIKE rowtrail.diff INCLUDING DEFAULTS INCLUDING INDEXES)`);
  const { rows: copied } = await writer.query<{ name: string }>(
    `SELECT indexname AS name FROM pg_indexes WHERE tablename = '${table['without the record-key index']}' AND indexdef LIKE '%(table_name, record_key%'`);
  for (const index of copied) await writer.query(`DROP INDEX ${index.name}`);
  await writer.query(`CREATE TABLE ${table['primary key only']} (LIKE rowtrail.diff INCLUDING DEFAULTS)`);
  await writer.query(`ALTER TABLE ${table['primary key only']} ADD PRIMARY KEY (event_id)`);

  const empty = () => Object.fromEntries(INDEX_VARIANTS.map((v) => [v, [] as number[]])) as Record<IndexVariant, number[]>;
  const times = empty();
  const cpuTimes = pid === undefined ? undefined : empty();
  for (let trial = 0; trial < options.bulkTrials; trial++) {
    for (const variant of rotated(INDEX_VARIANTS, trial)) {
      await writer.query(`TRUNCATE ${table[variant]}`);
      const cpuBefore = pid === undefined ? 0 : backendCpuMs(pid)!;
      times[variant].push(await timed(() => writer.query(`INSERT INTO ${table[variant]} SELECT * FROM diff_source`)));
      if (cpuTimes) cpuTimes[variant].push(backendCpuMs(pid!)! - cpuBefore);
    }
  }
  return { rows, times, cpuTimes, recordIndex: recordIndex.def.replace(/^CREATE INDEX /, '') };
}
