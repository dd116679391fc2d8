import type { Command } from 'commander';
import { openDataSource } from '../../typeorm/tracked-lifecycle.js';
import { once } from '../once-option.js';

type DataSource = Awaited<ReturnType<typeof openDataSource>>;

export interface DataSourceFlags {
  dataSource: string;
}

/** Adds the --data-source option of commands that read @Tracked entities and protections. */
export function dataSourceOption(command: Command): Command {
  return command.requiredOption('-d, --data-source <path>', 'module exporting the TypeORM DataSource (default or named export), as for the TypeORM CLI', once('--data-source'));
}

/** Runs fn with the DataSource of --data-source, initialised without synchronising; destroys it afterwards. */
export async function withDataSource<T>(flags: DataSourceFlags, fn: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const dataSource = await openDataSource(flags.dataSource);
  try {
    return await fn(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
