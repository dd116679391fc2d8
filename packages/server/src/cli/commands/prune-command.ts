import type { Command } from 'commander';
import { dataSourceOption, withDataSource, type DataSourceFlags } from './data-source-option.js';
import { formatStatusEntry } from './status-command.js';

interface PruneFlags extends DataSourceFlags {
  dropHistory?: boolean;
  allowEmpty?: boolean;
}

/** `rowtrail prune`: removes orphaned triggers and functions (and, if asked, orphaned history tables). */
export function registerPruneCommand(program: Command): void {
  dataSourceOption(program.command('prune'))
    .description('remove Rowtrail triggers and functions the entities no longer declare; history tables are kept unless --drop-history')
    .option('--drop-history', 'also drop orphaned history tables with their history (recorded in the maintenance log)')
    .option('--allow-empty', 'prune even when the entities declare nothing (no @Tracked entity, no protection): removes the capture of every @Tracked entity (tables tracked with install --table stay tracked)')
    .action(async (flags: PruneFlags, command: Command) => {
      const { schema } = command.optsWithGlobals<{ schema: string }>();
      const { pruneTracked } = await import('../../typeorm/tracked-lifecycle.js');
      const removed = await withDataSource(flags, (dataSource) => pruneTracked(dataSource, { schema, dropHistory: flags.dropHistory, allowEmpty: flags.allowEmpty }));
      for (const entry of removed) process.stdout.write(`removed  ${formatStatusEntry(entry).slice(10)}\n`);
      process.stdout.write(removed.length ? `Pruned ${removed.length} object(s).\n` : 'Nothing to prune.\n');
    });
}
