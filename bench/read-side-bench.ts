import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { encodeCursor } from '../packages/server/src/query/event-cursor.js';
import { SqlParams } from '../packages/server/src/query/event-sql.js';
import { filterConditions } from '../packages/server/src/query/event-filter.js';
import { loadRegistry } from '../packages/server/src/query/tracked-table-registry.js';
import { exportQuery, type TableRange } from '../packages/server/src/export/export-query.js';
import { activityFeed } from '../packages/server/src/query/activity-feed.js';
import { recordHistory } from '../packages/server/src/query/record-history.js';
import type { BenchOptions } from './bench-options.js';
import { measureDashboard, type DashboardResult } from './dashboard-bench.js';
import { ensureReadSideData, eventTime, READ_TABLE, readSideShape, type ReadSideShape } from './read-side-data.js';
import { median, nowMs, percentile, rotated } from './stats.js';

export interface LatencySummary { p50: number; p99: number; samples: number; rounds: number }

export interface ReadSideResult {
  shape: ReadSideShape;
  generated: boolean;
  generationSeconds: number;
  generatedAt: string;
  diffRows: number;
  recordHistory: LatencySummary;
  feedPage: LatencySummary;
  userFeedPage: LatencySummary;
  longRecordFirstPage: LatencySummary;
  /** `SELECT 1` through the same pool, interleaved with the others: this machine's floor for any query. */
  trivialQuery?: LatencySummary;
  /** Buffers one record history page touched (median over random records): found in shared buffers, read from outside them, and the time of those reads (when track_io_timing can be set). */
  historyBuffers?: { hit: number; read: number; readMs?: number; samples: number };
  /** MB of tables and indexes read into the page cache before measuring (pg_prewarm), when available. */
  prewarmedMb?: number;
  /** Page cache (Cached in /proc/meminfo) after the queries, MB, and the data set's size on disk, MB. */
  pageCacheMb?: number;
  dataSetMb?: number;
  export: { diffs: number; seconds: number; diffsPerSecond: number; peakRssMb: number; baselineRssMb: number; megabytes: number; runs?: number };
  /** The export's SQL alone, server side (EXPLAIN ANALYZE of its queries for the same selection): events per second. */
  exportSqlPerSecond?: number;
  /** Time to first visible diff of the long record in the dashboard (Chromium), or why it was not measured. */
  dashboard: DashboardResult;
}

/** One round of a query kind: p50 and p99 of `samples` sequential calls. */
async function round(samples: number, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = nowMs();
    await fn();
    times.push(nowMs() - start);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/**
 * Latency of several query kinds in interleaved rounds (the order rotates):
 * per round p50 and p99, then the median over rounds, so one burst of other
 * work on the machine does not decide a percentile.
 */
async function latencies<K extends string>(kinds: Record<K, () => Promise<unknown>>, rounds: number, samplesPerRound: number): Promise<Record<K, LatencySummary>> {
  const names = Object.keys(kinds) as K[];
  for (const name of names) for (let i = 0; i < 20; i++) await kinds[name](); // warm-up: plans, caches
  const perRound = Object.fromEntries(names.map((n) => [n, [] as Array<{ p50: number; p99: number }>])) as Record<K, Array<{ p50: number; p99: number }>>;
  for (let r = 0; r < rounds; r++) {
    for (const name of rotated(names, r)) perRound[name].push(await round(samplesPerRound, kinds[name]));
  }
  return Object.fromEntries(names.map((n) => [n, {
    p50: median(perRound[n].map((x) => x.p50)), p99: median(perRound[n].map((x) => x.p99)), samples: rounds * samplesPerRound, rounds,
  }])) as Record<K, LatencySummary>;
}

/**
 * What a record history page reads: the statement recordHistory sends, run under EXPLAIN (ANALYZE, BUFFERS)
 * for each record, medians of the shared buffers it found and read (and of the read time where
 * track_io_timing can be turned on). Unlike latency, this does not depend on the machine's load.
 */
async function historyPageBuffers(pool: pg.Pool, ids: number[]): Promise<NonNullable<ReadSideResult['historyBuffers']>> {
  // The statement is captured, not run (running it would bring its pages into shared buffers first).
  const sent: Array<{ text: string; values?: unknown[] }> = [];
  const capturing = Object.create(pool) as pg.Pool;
  capturing.query = ((text: string, values?: unknown[]) => {
    if (!text.includes(`${READ_TABLE}_history`)) return pool.query(text, values); // the registry
    sent.push({ text, values });
    return Promise.resolve({ rows: [] });
  }) as pg.Pool['query'];
  const client = await pool.connect();
  try {
    const timing = await client.query('SET track_io_timing = on').then(() => true, () => false);
    const hit: number[] = [];
    const read: number[] = [];
    const readMs: number[] = [];
    for (const id of ids) {
      sent.length = 0;
      await recordHistory(capturing, READ_TABLE, { id });
      const query = sent[0];
      const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query.text}`, query.values);
      const plan = rows[0]['QUERY PLAN'][0].Plan as Record<string, number>;
      hit.push(plan['Shared Hit Blocks']);
      read.push(plan['Shared Read Blocks']);
      if (timing) readMs.push(plan['I/O Read Time'] ?? 0);
    }
    if (timing) await client.query('RESET track_io_timing');
    return { hit: median(hit), read: median(read), ...(timing ? { readMs: median(readMs) } : {}), samples: ids.length };
  } finally {
    client.release();
  }
}

/**
 * Reads the Rowtrail tables and indexes of the data set into the OS page cache (pg_prewarm's 'read' mode),
 * so the latencies measure the queries over cached pages, as on a server whose memory holds its history,
 * rather than this machine's disk: a data set left alone for minutes was found half evicted (the VM's
 * kernel reclaims cold page cache) and its reads then measured the disk. Returns the MB read, or
 * undefined when pg_prewarm is not available.
 */
async function prewarm(pool: pg.Pool): Promise<number | undefined> {
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
  } catch {
    return undefined;
  }
  const { rows } = await pool.query<{ rel: string }>(`SELECT c.oid::regclass::text AS rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'rowtrail' AND c.relkind IN ('r', 'i') ORDER BY 1`);
  let blocks = 0;
  for (const { rel } of rows) blocks += Number((await pool.query(`SELECT pg_prewarm($1::regclass, 'read') AS n`, [rel])).rows[0].n);
  return (blocks * 8) / 1024;
}

/** The kernel's page cache (Cached in /proc/meminfo), MB; undefined where there is no /proc. */
function pageCacheMegabytes(): number | undefined {
  try {
    const kb = /^Cached:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** A deterministic pseudo-random sequence, so runs query the same records. */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Section 4: history, feed and export over generated events, through Rowtrail's query and export API. */
export async function runReadSideBench(url: string, options: BenchOptions, log: (m: string) => void): Promise<ReadSideResult> {
  const shape = readSideShape(options.readEvents, options.longRecordVersions);
  const data = await ensureReadSideData(url, shape, log);
  log(data.generated ? `read side: generated ${shape.events} events in ${Math.round(data.seconds)} s` : `read side: reusing the ${shape.events}-event data set`);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    // Start from a clean buffer pool: the write sections leave gigabytes of dirty buffers and WAL behind, and
    // a checkpoint spread over the next minutes (or backends writing dirty buffers out to reuse them) would
    // otherwise fall into the latencies measured here. Best effort: needs superuser or pg_checkpoint.
    await pool.query('CHECKPOINT').catch(() => undefined);
    const prewarmedMb = await prewarm(pool);
    log(prewarmedMb === undefined ? 'read side: pg_prewarm unavailable, data set not prewarmed' : `read side: read ${Math.round(prewarmedMb)} MB of tables and indexes into the page cache`);
    const diffRows = Number((await pool.query(`SELECT count(*) AS n FROM rowtrail.event WHERE table_name = $1`, [`public.${READ_TABLE}`])).rows[0].n);
    if (diffRows !== shape.events) throw new Error(`read side: expected ${shape.events} events, found ${diffRows}`);
    const random = sequence(42);
    const rounds = options.smoke ? 1 : 5;
    const measured = await latencies({
      recordHistory: async () => {
        const page = await recordHistory(pool, READ_TABLE, { id: 1 + Math.floor(random() * shape.records) });
        if (page.events.length === 0) throw new Error('read side: a record without history');
      },
      feedPage: async () => {
        const page = await activityFeed(pool, {}, { cursor: encodeCursor(String(1 + Math.floor(random() * shape.events))) });
        if (page.events.length === 0 && shape.events > 100) throw new Error('read side: an empty feed page');
      },
      userFeedPage: () => activityFeed(pool, { user: `user-${Math.floor(random() * 500)}` }, { cursor: encodeCursor(String(1 + Math.floor(random() * shape.events))) }),
      longRecordFirstPage: async () => {
        const page = await recordHistory(pool, READ_TABLE, { id: shape.longRecordId });
        if (page.events.length === 0) throw new Error('read side: the long record has no history');
      },
      trivialQuery: () => pool.query('SELECT 1'),
    }, rounds, Math.ceil(options.readQueries / rounds));
    const { recordHistory: recordHistoryLatency, feedPage, userFeedPage, longRecordFirstPage, trivialQuery } = measured;
    const historyBuffers = await historyPageBuffers(pool, Array.from({ length: options.smoke ? 3 : 50 }, () => 1 + Math.floor(random() * shape.records)));
    log(`record history page: median ${historyBuffers.hit} buffers found in shared buffers, ${historyBuffers.read} read from outside them${historyBuffers.readMs === undefined ? '' : ` in ${historyBuffers.readMs.toFixed(2)} ms`}`);
    const dataSetMb = Number((await pool.query(`SELECT pg_database_size(current_database()) / 1048576.0 AS mb`)).rows[0].mb);
    const pageCacheMb = pageCacheMegabytes();
    for (const [name, l] of Object.entries(measured)) log(`${name}: p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms (median of ${rounds} rounds)`);

    const exports: Array<ReadSideResult['export']> = [];
    for (let run = 0; run < (options.smoke ? 1 : 3); run++) exports.push(await exportProbe(url, Math.min(options.exportDiffs, shape.events)));
    // the median run by throughput; memory: the highest peak of all runs
    const exported = { ...[...exports].sort((a, b) => a.diffsPerSecond - b.diffsPerSecond)[Math.floor(exports.length / 2)], peakRssMb: Math.max(...exports.map((e) => e.peakRssMb)), runs: exports.length };
    log(`export ${exported.diffs} diffs in ${exported.seconds.toFixed(1)} s (${Math.round(exported.diffsPerSecond)}/s), peak RSS ${exported.peakRssMb.toFixed(0)} MB`);
    const exportSqlPerSecond = await exportSqlThroughput(pool, exported.diffs);
    log(`export SQL alone (server side): ${Math.round(exportSqlPerSecond)} events/s`);
    const dashboard = await measureDashboard(pool, READ_TABLE, { id: shape.longRecordId }, options.smoke ? 1 : 7);
    log(dashboard.measured ? `dashboard: first visible diff of the ${shape.longVersions}-version record in ${dashboard.timing.median.toFixed(0)} ms (median)` : `dashboard: not measured, ${dashboard.reason}`);
    return {
      shape, generated: data.generated, generationSeconds: data.seconds, generatedAt: data.generatedAt.toISOString(), diffRows,
      recordHistory: recordHistoryLatency, historyBuffers, feedPage, userFeedPage, longRecordFirstPage, trivialQuery, prewarmedMb, pageCacheMb, dataSetMb, export: exported, exportSqlPerSecond, dashboard,
    };
  } finally {
    await pool.end();
  }
}

/**
 * Server-side throughput of the export's own SQL for the probe's selection (the time range of the first `events`
 * events of the table): its range query and its event query, as exportQuery builds them, timed by EXPLAIN ANALYZE
 * in one snapshot with the export's work_mem. No transfer, no client.
 */
async function exportSqlThroughput(pool: pg.Pool, events: number): Promise<number> {
  const filter = { tables: [`public.${READ_TABLE}`], from: eventTime(1), to: eventTime(events + 1) };
  const params = new SqlParams();
  const query = exportQuery('rowtrail', { kind: 'filter', filter }, filterConditions(filter, await loadRegistry(pool), params, 'rowtrail'), params.values.length);
  const client = await pool.connect();
  const executionMs = async (text: string, values: unknown[]): Promise<number> => {
    const { rows } = await client.query(`EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) ${text}`, values);
    const line = rows.map((r) => r['QUERY PLAN'] as string).find((l) => l.startsWith('Execution Time')) ?? '';
    return Number(/([\d.]+) ms/.exec(line)?.[1]);
  };
  try {
    await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
    await client.query(`SET LOCAL work_mem = '64MB'`);
    let ms = 0;
    let ranges: TableRange[] = [];
    if (query.ranges !== undefined) {
      ms += await executionMs(query.ranges, params.values);
      ranges = (await client.query<TableRange>(query.ranges, params.values)).rows;
    }
    const eventQuery = query.events(ranges);
    if (!eventQuery) throw new Error('read side: the export\'s range query found no events');
    if (eventQuery.before) await client.query(eventQuery.before);
    ms += await executionMs(eventQuery.text, [...params.values, ...eventQuery.values]);
    return events / (ms / 1000);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/** Exports the first `diffs` events (by time range) in a child process that measures its own peak memory. */
async function exportProbe(url: string, diffs: number): Promise<ReadSideResult['export']> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const probe = fileURLToPath(new URL('./export-probe.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', probe, url, eventTime(1), eventTime(diffs + 1)], { cwd: root, maxBuffer: 1 << 20 });
  const result = JSON.parse(stdout) as { diffs: number; bytes: number; seconds: number; peakRssMb: number; baselineRssMb: number };
  if (result.diffs !== diffs) throw new Error(`read side: export wrote ${result.diffs} diffs, expected ${diffs}`);
  return { diffs: result.diffs, seconds: result.seconds, diffsPerSecond: result.diffs / result.seconds, peakRssMb: result.peakRssMb, baselineRssMb: result.baselineRssMb, megabytes: result.bytes / 2 ** 20 };
}
