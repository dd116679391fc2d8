import type { Command } from 'commander';
import { dataSourcesOption, withDataSources } from './data-source-option.js';
import { formatStatusEntry } from './status-command.js';
import { schemaFlag } from '../schema-option.js';

interface PruneFlags {
  dataSource: string[];
  dropHistory?: boolean;
  allowEmpty?: boolean;
  otherApplications?: boolean;
  yes?: boolean;
}

/** `rowtrail prune`: removes orphaned triggers and functions (and, if asked, orphaned history tables). */
export function registerPruneCommand(program: Command): void {
  dataSourcesOption(program.command('prune'), 'module exporting the TypeORM DataSource (default or named export), as for the TypeORM CLI; '
    + 'repeat it for several DataSources of one database, pruned together', true)
    .description('remove Rowtrail triggers and functions the entities no longer declare; history tables are kept unless --drop-history')
    .option('--drop-history', 'also drop orphaned history tables with their history (recorded in the maintenance log); needs --yes')
    .option('--yes', 'confirm --drop-history: the recorded history of the history tables no entity declares is deleted')
    .option('--allow-empty', 'prune even when the entities declare nothing (no @Tracked entity, no protection): removes the capture of every @Tracked entity (tables tracked with install --table stay tracked)')
    .option('--other-applications', 'also remove the capture and protections of tables another application (or DataSource) declares, which status reports installed as "declared by another application": for when that application is gone, or this one replaced every table it declared')
    .action(async (flags: PruneFlags, command: Command) => {
      const { schema } = command.optsWithGlobals<{ schema: string }>();
      if (flags.dropHistory && !flags.yes) {
        throw new Error('prune --drop-history deletes the history tables no entity declares, with their recorded history (status lists them as orphaned history-table): '
          + 'pass --yes to confirm; without --drop-history they are kept');
      }
      const { pruneTracked } = await import('../../typeorm/tracked-lifecycle.js');
      const removed = await withDataSources(flags.dataSource, async (dataSources) => {
        try {
          return await pruneTracked(dataSources, { schema, dropHistory: flags.dropHistory, allowEmpty: flags.allowEmpty, otherApplications: flags.otherApplications });
        } catch (error) {
          // the library's refusal names its option; here the flag is what to give
          if (error instanceof Error) error.message = error.message.replace('pass allowEmpty: true (rowtrail prune --allow-empty)', `pass --allow-empty (rowtrail prune --allow-empty${schemaFlag(schema)})`);
          throw error;
        }
      });
      // what each entry was is said by its state and names; status's detail (why it is orphaned, or whose it was: "not this
      // one's to prune" beside --other-applications or --allow-empty) would contradict the removal
      for (const entry of removed) process.stdout.write(`removed  ${formatStatusEntry({ ...entry, detail: undefined, drift: undefined }).slice(10).trimEnd()}\n`);
      process.stdout.write(removed.length ? `Pruned ${removed.length} object(s).\n` : 'Nothing to prune.\n');
    });
}
