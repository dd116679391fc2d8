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

/**
 * The --data-source of status and prune, which may be repeated: DataSources of one database whose declarations are
 * taken together (what none of them declares is compared with the tables each install declared together).
 */
export function dataSourcesOption(command: Command, description: string, required: boolean): Command {
  const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
  return required
    ? command.requiredOption('-d, --data-source <path>', description, collect)
    : command.option('-d, --data-source <path>', description, collect);
}

/** Runs fn with the DataSource of --data-source, initialised without synchronising; destroys it afterwards. */
export async function withDataSource<T>(flags: DataSourceFlags, fn: (dataSource: DataSource) => Promise<T>): Promise<T> {
  return withDataSources([flags.dataSource], ([dataSource]) => fn(dataSource));
}

/** withDataSource() for several modules (a module given twice counts once); destroys every one it opened. */
export async function withDataSources<T>(modules: string[], fn: (dataSources: DataSource[]) => Promise<T>): Promise<T> {
  // TypeORM is loaded by the commands that use a DataSource only: the others start faster without it
  const { openDataSource } = await import('../../typeorm/tracked-lifecycle.js');
  const opened: DataSource[] = [];
  try {
    for (const module of modules) {
      const dataSource = await openDataSource(module);
      if (!opened.includes(dataSource)) opened.push(dataSource);
    }
    return await fn(opened);
  } finally {
    for (const dataSource of opened) await dataSource.destroy();
  }
}
