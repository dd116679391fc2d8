import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { RowtrailSchemaOptions } from '../ddl/tracked-table-spec.js';
import { install, type InstallResult } from '../install/installer.js';
import { MissingTableError } from '../install/trackable-table.js';
import { specOrigin, trackedTableSpecs } from './entity-spec.js';
import { protectedTableSpecs } from './protection-specs.js';

/** The pg pool behind an initialised postgres DataSource. */
export function poolOf(dataSource: DataSource): pg.Pool {
  const pool = (dataSource.driver as unknown as { master?: pg.Pool }).master;
  if (!pool) throw new Error('Rowtrail: the DataSource is not initialised (or is not a postgres DataSource); call dataSource.initialize() first');
  return pool;
}

/** Installs Rowtrail, history capture for every @Tracked entity and the protections declared on entities, for an initialised DataSource. */
export async function installTracked(dataSource: DataSource, options: Partial<RowtrailSchemaOptions> = {}): Promise<InstallResult> {
  const specs = trackedTableSpecs(dataSource);
  try {
    return await install(poolOf(dataSource), specs, { protections: protectedTableSpecs(dataSource), ...options });
  } catch (error) {
    // a missing table named by what declared it: a join table's name alone does not say which relation it is
    const spec = error instanceof MissingTableError ? specs.find((s) => `${s.schema}.${s.table}` === error.table) : undefined;
    const origin = spec && specOrigin(spec);
    throw origin ? new MissingTableError((error as MissingTableError).table, origin) : error;
  }
}
