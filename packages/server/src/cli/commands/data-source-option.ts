import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { once } from '../once-option.js';

export interface DataSourceFlags {
  dataSource: string;
}

/** Adds the --data-source option of commands that read @Tracked entities and protections. */
export function dataSourceOption(command: Command): Command {
  return command.requiredOption('-d, --data-source <path>', 'module exporting the TypeORM DataSource (default or named export), as for the TypeORM CLI', once('--data-source'));
}

/** Runs fn with the DataSource of --data-source, initialised without synchronising; destroys it afterwards. */
export async function withDataSource<T>(flags: DataSourceFlags, fn: (dataSource: DataSource) => Promise<T>): Promise<T> {
  // TypeORM is loaded by the commands that use a DataSource only: the others start faster without it
  const { openDataSource } = await import('../../typeorm/tracked-lifecycle.js');
  const dataSource = await openDataSource(flags.dataSource);
  try {
    return await fn(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
