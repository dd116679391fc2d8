import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { RowtrailSchemaOptions, TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install, type InstallResult } from '../install/installer.js';
import { requireSchemaOptions } from '../option-kinds.js';
import { ColumnMismatchError, MissingTableError } from '../install/trackable-table.js';
import { specOrigin, trackedTableSpecs } from './entity-spec.js';
import { protectedTableSpecs } from './protection-specs.js';
import { ROWTRAIL_DRIVER } from './with-rowtrail.js';

/** The pg pool behind an initialised postgres DataSource. */
export function poolOf(dataSource: DataSource): pg.Pool {
  const pool = (dataSource.driver as unknown as { master?: pg.Pool }).master;
  if (!pool) throw new Error('Rowtrail: the DataSource is not initialised (or is not a postgres DataSource); call dataSource.initialize() first');
  return pool;
}

/** Installs Rowtrail, history capture for every @Tracked entity and the protections declared on entities, for an initialised DataSource. */
export async function installTracked(dataSource: DataSource, options: Partial<RowtrailSchemaOptions> = {}): Promise<InstallResult> {
  requireSchemaOptions(options, 'installTracked');
  const specs = trackedTableSpecs(dataSource);
  // installing works either way, but run() and contextMiddleware() then reach no statement: every write is recorded
  // as a database write, without its user (a mistake nothing else would show)
  const driver = (dataSource.options as { driver?: Record<symbol, unknown> }).driver;
  if (specs.length > 0 && !driver?.[ROWTRAIL_DRIVER]) {
    process.emitWarning('Rowtrail: this DataSource does not use Rowtrail\'s driver, so its writes are recorded without request context '
      + '(no user, request id or URL): create its options with withRowtrail(options)', { code: 'ROWTRAIL_UNWIRED_DATASOURCE' });
  }
  return namingOrigins(specs, () => install(poolOf(dataSource), specs, { protections: protectedTableSpecs(dataSource), ...options }));
}

/**
 * Runs `run` (an install or a migration plan of these specs), naming in a MissingTableError or ColumnMismatchError what
 * declared the table: an entity, a relation's join table (a join table's name alone does not say which relation it is).
 */
export async function namingOrigins<T>(specs: TrackedTableSpec[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof MissingTableError || error instanceof ColumnMismatchError)) throw error;
    const spec = specs.find((s) => `${s.schema}.${s.table}` === error.table);
    const origin = spec && specOrigin(spec);
    throw origin ? error.withOrigin(origin) : error;
  }
}
