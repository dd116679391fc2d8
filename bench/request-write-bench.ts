import { randomUUID } from 'node:crypto';
import pg from 'pg';
import 'reflect-metadata';
import { DataSource, type Repository } from 'typeorm';
import { createContextDriver } from '../packages/server/src/context/pg-context-driver.js';
import { run } from '../packages/server/src/context/request-context.js';
import { install } from '../packages/server/src/install/installer.js';
import { withRowtrail } from '../packages/server/src/typeorm/with-rowtrail.js';
import type { BenchOptions } from './bench-options.js';
import type { CaptureInstructionsResult } from './capture-instructions.js';
import { benchEntity, type BenchRow } from './bench-entities.js';
import { BENCH_COLUMN_LIST, benchRowsSelect, benchTableSpec, createBenchTableSql } from './bench-table.js';
import { measureServerCost, type ServerCost } from './server-cost.js';
import { rotated } from './stats.js';
import { attachClassicAuditSql, CLASSIC_AUDIT_SETUP } from './classic-audit-trigger.js';
import { throughput } from './throughput.js';

export const REQUEST_TABLES = { untracked: 'req_plain', tracked: 'req_tracked' } as const;
export type Tracking = keyof typeof REQUEST_TABLES;
/** The classic audit trigger's table, for reference in the SQL case. */
export const CLASSIC_REQUEST_TABLE = 'req_classic';
type Variant = Tracking | 'classic';

export interface ThroughputCase {
  name: string;
  clients: number;
  /** Operations per second per slice: opsPerSecond[variant][trial]; classic only in the SQL case. */
  opsPerSecond: Record<Tracking, number[]> & { classic?: number[] };
  /** Busy CPU of the whole machine per operation, microseconds, per slice (same shape); absent without /proc/stat. */
  cpuUsPerOp?: Record<Tracking, number[]> & { classic?: number[] };
  /** CPU of the benchmark's own Node process per operation, microseconds, per slice (same shape); absent in results saved before it was measured. */
  appCpuUsPerOp?: Record<Tracking, number[]> & { classic?: number[] };
}

export interface RequestWriteResult {
  sliceMs: number;
  trials: number;
  cases: ThroughputCase[];
  serverCost: ServerCost;
  /** Instructions per single-row UPDATE (callgrind), measured after the rest of the section. */
  instructions?: CaptureInstructionsResult;
}

/** Creates the tracked and untracked request tables with `rows` rows each. */
export async function setUpRequestTables(url: string, rows: number): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    for (const table of [...Object.values(REQUEST_TABLES), CLASSIC_REQUEST_TABLE]) {
      await pool.query(createBenchTableSql(table));
      await pool.query(`INSERT INTO ${table} (${BENCH_COLUMN_LIST}) ${benchRowsSelect('1', String(rows))}`);
    }
    await install(pool, [benchTableSpec(REQUEST_TABLES.tracked)]);
    for (const sql of CLASSIC_AUDIT_SETUP) await pool.query(sql);
    await pool.query(attachClassicAuditSql(CLASSIC_REQUEST_TABLE));
    await pool.query('VACUUM ANALYZE');
  } finally {
    await pool.end();
  }
}

/** Plain DataSource (no Rowtrail) for the untracked table, withRowtrail() for the tracked one. */
export async function openDataSources(url: string, poolSize: number): Promise<Record<Tracking, DataSource>> {
  const base = { type: 'postgres' as const, url, poolSize, synchronize: false, logging: false };
  const untracked = new DataSource({ ...base, entities: [benchEntity(REQUEST_TABLES.untracked)] });
  const tracked = new DataSource(withRowtrail({ ...base, entities: [benchEntity(REQUEST_TABLES.tracked)] }));
  await Promise.all([untracked.initialize(), tracked.initialize()]);
  return { untracked, tracked };
}

/** A request's context: a new id and metadata per operation, as a web request would have. */
export const requestContext = (client: number) => ({ user: `bench-user-${client}`, requestId: randomUUID(), method: 'PUT', url: '/items' });

/** Row ids for one client, disjoint between clients so no two clients wait on one row. */
export function rowFor(client: number, i: number, clients: number, rows: number): string {
  const perClient = Math.floor(rows / clients);
  return String(client * perClient + (i % perClient) + 1);
}

/** TypeORM save() of an entity loaded once per row and changed each time (SELECT, BEGIN, UPDATE, COMMIT). */
export function saveOp(repo: Repository<BenchRow>, clients: number, rows: number) {
  const loaded = new Map<string, BenchRow>();
  return async (client: number, i: number) => {
    const id = rowFor(client, i, clients, rows);
    await run(requestContext(client), async () => {
      let entity = loaded.get(id);
      if (!entity) {
        entity = (await repo.findOneByOrFail({ id }))!;
        loaded.set(id, entity);
      }
      entity.quantity += 1;
      entity.updatedAt = new Date();
      await repo.save(entity);
    });
  };
}

/** TypeORM update(): one autocommit UPDATE. */
export function updateOp(repo: Repository<BenchRow>, clients: number, rows: number) {
  return (client: number, i: number) =>
    run(requestContext(client), () => repo.update({ id: rowFor(client, i, clients, rows) }, { quantity: i, updatedAt: new Date() }));
}

async function measureCase(
  name: string, clients: number, options: BenchOptions,
  ops: Record<Tracking, (client: number, i: number) => Promise<unknown>> & { classic?: (client: number, i: number) => Promise<unknown> }, log: (m: string) => void,
): Promise<ThroughputCase> {
  const variants = Object.keys(ops) as Variant[];
  const perSecond: Partial<Record<Variant, number[]>> = {};
  const cpu: Partial<Record<Variant, number[]>> = {};
  const appCpu: Partial<Record<Variant, number[]>> = {};
  let cpuMeasured = true;
  for (const variant of variants) await throughput(clients, Math.min(500, options.sliceMs), ops[variant]!); // warm-up
  for (let trial = 0; trial < options.throughputTrials; trial++) {
    for (const variant of rotated(variants, trial)) {
      const slice = await throughput(clients, options.sliceMs, ops[variant]!);
      (perSecond[variant] ??= []).push(slice.opsPerSecond);
      (appCpu[variant] ??= []).push(slice.appCpuUsPerOp);
      if (slice.cpuUsPerOp === undefined) cpuMeasured = false;
      else (cpu[variant] ??= []).push(slice.cpuUsPerOp);
    }
  }
  const result: ThroughputCase = {
    name, clients, opsPerSecond: perSecond as ThroughputCase['opsPerSecond'],
    appCpuUsPerOp: appCpu as NonNullable<ThroughputCase['appCpuUsPerOp']>,
    ...(cpuMeasured ? { cpuUsPerOp: cpu as NonNullable<ThroughputCase['cpuUsPerOp']> } : {}),
  };
  log(`${name} @${clients}: ${variants.map((v) => `${v} ${perSecond[v]!.map(Math.round).join('/')}`).join(', ')} ops/s`);
  return result;
}

/** Section 2: single-row writes with request context, tracked vs untracked, interleaved slices. */
export async function runRequestWriteBench(url: string, options: BenchOptions, log: (m: string) => void): Promise<RequestWriteResult> {
  await setUpRequestTables(url, options.requestRows);
  const cases: ThroughputCase[] = [];
  const rows = options.requestRows;

  // SQL: one UPDATE per transaction (autocommit) on 4 connections; the tracked pool carries the context comment.
  const sqlPools = {
    untracked: new pg.Pool({ connectionString: url, max: 4 }),
    tracked: new (createContextDriver(pg).Pool)({ connectionString: url, max: 4 }),
  };
  try {
    const sqlOp = (variant: Variant) => (client: number, i: number) =>
      run(requestContext(client), () => sqlPools[variant === 'tracked' ? 'tracked' : 'untracked'].query(
        `UPDATE ${variant === 'classic' ? CLASSIC_REQUEST_TABLE : REQUEST_TABLES[variant]} SET quantity = quantity + 1, updated_at = now() WHERE id = $1`, [rowFor(client, i, 4, rows)]));
    cases.push(await measureCase('SQL UPDATE (autocommit)', 4, options, { untracked: sqlOp('untracked'), tracked: sqlOp('tracked'), classic: sqlOp('classic') }, log));
  } finally {
    await Promise.all(Object.values(sqlPools).map((p) => p.end()));
  }

  for (const clients of [1, 8]) {
    const sources = await openDataSources(url, clients);
    try {
      const repo = (t: Tracking) => sources[t].getRepository<BenchRow>(REQUEST_TABLES[t]);
      cases.push(await measureCase('TypeORM save()', clients, options, { untracked: saveOp(repo('untracked'), clients, rows), tracked: saveOp(repo('tracked'), clients, rows) }, log));
      cases.push(await measureCase('TypeORM update()', clients, options, { untracked: updateOp(repo('untracked'), clients, rows), tracked: updateOp(repo('tracked'), clients, rows) }, log));
    } finally {
      await Promise.all(Object.values(sources).map((s) => s.destroy()));
    }
  }
  await verifyAttribution(url);
  const serverCost = await measureServerCost(url, { ...REQUEST_TABLES, classic: CLASSIC_REQUEST_TABLE }, rows, options.smoke ? 20 : 300);
  log(`server time per single-row UPDATE: untracked ${serverCost.untrackedUpdate.toFixed(3)} ms, tracked ${serverCost.trackedUpdate.toFixed(3)} ms (random context ids ${serverCost.trackedUpdateRandomId.toFixed(3)} ms, known context ${serverCost.trackedUpdateKnownContext.toFixed(3)} ms), classic ${serverCost.classicUpdate.toFixed(3)} ms, context row alone ${serverCost.contextRow.toFixed(3)} ms`);
  return { sliceMs: options.sliceMs, trials: options.throughputTrials, cases, serverCost };
}

/** The tracked writes must have produced events attributed to their request contexts. */
async function verifyAttribution(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // a context may be stored more than once (once per session that wrote in it): test for one, do not join
    const { rows } = await client.query(`SELECT count(*)::int AS events, count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM rowtrail.context c WHERE c.id = e.context_id AND c.metadata ->> 'user' LIKE 'bench-user-%'))::int AS attributed
      FROM rowtrail.event e WHERE e.table_name = 'public.${REQUEST_TABLES.tracked}'`);
    if (rows[0].events === 0 || rows[0].attributed !== rows[0].events) {
      throw new Error(`request writes: expected every tracked event attributed to a bench request, got ${rows[0].attributed} of ${rows[0].events}`);
    }
  } finally {
    await client.end();
  }
}
