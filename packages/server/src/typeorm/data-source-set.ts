import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';
import { trackedTableSpecs } from './entity-spec.js';
import { poolOf } from './install-tracked.js';
import { protectedTableSpecs } from './protection-specs.js';

/** One DataSource, or several of one database whose declarations status and prune take together. */
export type DataSources = DataSource | readonly DataSource[];

/**
 * The declarations of the DataSources together (a table two of them declare alike counts once), and the pool of the
 * first. Several DataSources must be on the same database (status and prune would otherwise compare one database with
 * another's entities); two that declare one table differently are refused, since neither declaration could be checked.
 */
export async function declarationsOf(dataSources: DataSources, caller: string): Promise<{ pool: pg.Pool; tracked: TrackedTableSpec[]; protections: ProtectedTableSpec[] }> {
  const list = Array.isArray(dataSources) ? dataSources as readonly DataSource[] : [dataSources as DataSource];
  if (list.length === 0) throw new Error(`Rowtrail: ${caller} needs a DataSource (an empty list was given)`);
  const pools = list.map(poolOf);
  if (list.length > 1) await assertOneDatabase(pools, caller);
  return {
    pool: pools[0],
    tracked: distinct(list.flatMap(trackedTableSpecs), 'tracks', caller),
    protections: distinct(list.flatMap(protectedTableSpecs), 'protects', caller),
  };
}

function distinct<T extends { schema: string; table: string }>(specs: T[], verb: string, caller: string): T[] {
  const byTable = new Map<string, T>();
  for (const spec of specs) {
    const name = `${spec.schema}.${spec.table}`;
    const known = byTable.get(name);
    if (!known) byTable.set(name, spec);
    else if (JSON.stringify(known) !== JSON.stringify(spec)) {
      throw new Error(`Rowtrail: ${caller}: two of the DataSources given declare table ${name} differently (each ${verb} it its own way); pass them one at a time`);
    }
  }
  return [...byTable.values()];
}

async function assertOneDatabase(pools: pg.Pool[], caller: string): Promise<void> {
  const where = await Promise.all(pools.map(async (pool) => (await pool.query<{ at: string }>(
    `SELECT concat_ws(' ', current_database(), inet_server_addr(), inet_server_port(), pg_postmaster_start_time()) AS at`,
  )).rows[0].at));
  if (new Set(where).size > 1) {
    throw new Error(`Rowtrail: ${caller}: the DataSources given are not on the same database (${[...new Set(where.map((w) => w.split(' ')[0]))].join(', ')}); `
      + 'pass those of one database');
  }
}
