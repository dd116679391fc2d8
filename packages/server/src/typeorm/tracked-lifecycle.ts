import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { RowtrailSchemaOptions } from '../ddl/tracked-table-spec.js';
import { renderMigrationFile } from '../lifecycle/migration-file.js';
import { planMigration, type MigrationPlan } from '../lifecycle/migration-plan.js';
import { prune, type PruneOptions } from '../lifecycle/prune.js';
import { status, type RowtrailStatus } from '../lifecycle/status.js';
import type { StatusEntry } from '../lifecycle/status.js';
import { trackedTableSpecs } from './entity-spec.js';
import { namingOrigins, poolOf } from './install-tracked.js';
import { FLAG_KIND as FLAG, requireSchemaOptions } from '../option-kinds.js';
import { protectedTableSpecs } from './protection-specs.js';
import { declarationsOf, type DataSources } from './data-source-set.js';

/**
 * status() for the @Tracked entities and declared protections of an initialised DataSource, or of several DataSources of
 * one database taken together (what none of them declares is compared with the tables each install declared together).
 */
export async function trackedStatus(dataSource: DataSources, options: Partial<RowtrailSchemaOptions> = {}): Promise<RowtrailStatus> {
  requireSchemaOptions(options, 'trackedStatus');
  const { pool, tracked, protections } = await declarationsOf(dataSource, 'trackedStatus');
  return status(pool, tracked, { ...options, protections });
}

/** How many of the DataSource's entities Rowtrail sees: in all, tables tracked, tables with declared protections. */
export function declaredCounts(dataSource: DataSource): { entities: number; tracked: number; protected: number } {
  return { entities: dataSource.entityMetadatas.length, tracked: trackedTableSpecs(dataSource).length, protected: protectedTableSpecs(dataSource).length };
}

/** prune() of what a DataSource's entities (or those of several DataSources of one database, together) no longer declare. */
export async function pruneTracked(dataSource: DataSources, options: Omit<PruneOptions, 'protections'> = {}): Promise<StatusEntry[]> {
  requireSchemaOptions(options, 'pruneTracked', { dropHistory: FLAG, allowEmpty: FLAG, otherApplications: FLAG });
  const { pool, tracked, protections } = await declarationsOf(dataSource, 'pruneTracked');
  return prune(pool, tracked, { ...options, protections });
}

/** The migration that would bring the DataSource's database to its entities' history capture and protections. */
export async function planTrackedMigration(dataSource: DataSource, options: Partial<RowtrailSchemaOptions> = {}): Promise<MigrationPlan> {
  requireSchemaOptions(options, 'planTrackedMigration');
  return planOf(dataSource, options);
}

// a table it refuses named by what declared it, as installTracked() names it
const planOf = (dataSource: DataSource, options: Partial<RowtrailSchemaOptions>): Promise<MigrationPlan> => {
  const specs = trackedTableSpecs(dataSource);
  return namingOrigins(specs, () => planMigration(poolOf(dataSource), specs, { ...options, protections: protectedTableSpecs(dataSource) }));
};

export interface GenerateMigrationOptions extends Partial<RowtrailSchemaOptions> {
  /** Directory the file is written to (created if needed). */
  dir: string;
  /** Class name stem. Default "Rowtrail". */
  name?: string;
  timestamp?: number;
  /** 'ts' (default), 'js' (an ES module) or 'cjs' (a CommonJS module); both JavaScript forms are written as .js. */
  language?: 'ts' | 'js' | 'cjs';
}

/**
 * Writes a TypeORM migration class (up and down) with the SQL of planTrackedMigration(),
 * named "<timestamp>-<name>.ts" as TypeORM's CLI names them. Writes nothing when there is nothing to do.
 */
export async function generateTrackedMigration(dataSource: DataSource, options: GenerateMigrationOptions): Promise<{ path?: string; plan: MigrationPlan }> {
  requireSchemaOptions(options, 'generateTrackedMigration', {
    dir: [z.string().min(1), 'a directory (a non-empty string)'], name: [z.string().regex(/[A-Za-z]/), 'a name with a letter, such as "Rowtrail" (--name)'],
    timestamp: [z.number().int().nonnegative(), 'a whole number (milliseconds)'], language: [z.enum(['ts', 'js', 'cjs']), "'ts', 'js' or 'cjs'"],
  });
  const plan = await planOf(dataSource, { schema: options.schema, snapshotTableName: options.snapshotTableName });
  if (plan.up.length === 0) return { plan };
  const name = options.name ?? 'Rowtrail';
  const timestamp = options.timestamp ?? Date.now();
  const language = options.language ?? 'ts';
  await mkdir(options.dir, { recursive: true });
  const path = join(options.dir, `${timestamp}-${name}.${language === 'ts' ? 'ts' : 'js'}`);
  await writeFile(path, renderMigrationFile(plan, { name, timestamp, language }));
  return { path, plan };
}

/** An error's message, or its name when it has none (`throw new TypeError()`). */
const errorText = (error: unknown) => (error instanceof Error ? error.message || error.name : String(error));

// Without a TypeScript loader (the CLI registers tsx when it is installed), Node cannot import a .ts module.
const TYPESCRIPT_HINT = '; to load TypeScript, install tsx beside Rowtrail (npm i -D tsx), or point at the compiled JavaScript';

const isDataSource = (value: unknown): value is DataSource =>
  value instanceof DataSource || (!!value && (value as { '@instanceof'?: symbol })['@instanceof'] === Symbol.for('DataSource'));

/**
 * Loads the DataSource a module exports, as TypeORM's CLI does: its one exported
 * DataSource instance, default or named. A module exporting several is refused
 * (naming them) rather than one picked by export order: status, install or prune
 * would otherwise run against a database nobody chose.
 */
export async function loadDataSource(modulePath: string): Promise<DataSource> {
  const url = pathToFileURL(isAbsolute(modulePath) ? modulePath : resolve(process.cwd(), modulePath)).href;
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const hint = (error as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION' ? TYPESCRIPT_HINT : '';
    throw new Error(`Rowtrail: loading the DataSource module ${modulePath} failed: ${errorText(error)}${hint}`, { cause: error });
  }
  const exported = Object.entries(module).filter((entry): entry is [string, DataSource] => isDataSource(entry[1]));
  const instances = [...new Set(exported.map(([, dataSource]) => dataSource))];
  if (instances.length === 0) throw new Error(`Rowtrail: ${modulePath} exports no TypeORM DataSource (export it as default or as a named export)`);
  if (instances.length > 1) {
    throw new Error(`Rowtrail: ${modulePath} exports ${instances.length} TypeORM DataSources (${exported.map(([name]) => name).join(', ')}); `
      + 'point at a module that exports only the one to use');
  }
  return instances[0];
}

/**
 * Loads and initialises a DataSource module for a command, as TypeORM's CLI
 * does: without synchronising, running migrations or dropping the schema.
 */
export async function openDataSource(modulePath: string): Promise<DataSource> {
  const dataSource = await loadDataSource(modulePath);
  if (!dataSource.isInitialized) {
    dataSource.setOptions({ synchronize: false, migrationsRun: false, dropSchema: false, logging: false });
    try {
      await dataSource.initialize();
    } catch (error) {
      throw new Error(`Rowtrail: initialising the DataSource of ${modulePath} failed: ${errorText(error)}`, { cause: error });
    }
  }
  return dataSource;
}
