import type { Command } from 'commander';
import { dataSourcesOption, withDataSources } from './data-source-option.js';
import { formatStatusEntry } from './status-command.js';

interface PruneFlags {
  dataSource: string[];
  dropHistory?: boolean;
  allowEmpty?: boolean;
  otherApplications?: boolean;
}

/** `rowtrail prune`: removes orphaned triggers and functions (and, if asked, orphaned history tables). */
export function registerPruneCommand(program: Command): void {
  dataSourcesOption(program.command('prune'), 'module exporting the TypeORM DataSource (default or named export), as for the TypeORM CLI; '
    + 'repeat it for several DataSources of one database, pruned together', true)
    .description('remove Rowtrail triggers and functions the entities no longer declare; history tables are kept unless --drop-history')
    .option('--drop-history', 'also drop orphaned history tables with their history (recorded in the maintenance log)')
    .option('--allow-empty', 'prune even when the entities declare nothing (no @Tracked entity, no protection): removes the capture of every @Tracked entity (tables tracked with install --table stay tracked)')
    .option('--other-applications', 'also remove the capture and protections of tables another application (or DataSource) declares, which status reports installed as "declared by another application": for when that application is gone, or this one replaced every table it declared')
    .action(async (flags: PruneFlags, command: Command) => {
      const { schema } = command.optsWithGlobals<{ schema: string }>();
      const { pruneTracked } = await import('../../typeorm/tracked-lifecycle.js');
      const removed = await withDataSources(flags.dataSource, (dataSources) =>
        pruneTracked(dataSources, { schema, dropHistory: flags.dropHistory, allowEmpty: flags.allowEmpty, otherApplications: flags.otherApplications }));
      for (const entry of removed) process.stdout.write(`removed  ${formatStatusEntry(entry).slice(10)}\n`);
      process.stdout.write(removed.length ? `Pruned ${removed.length} object(s).\n` : 'Nothing to prune.\n');
    });
}
