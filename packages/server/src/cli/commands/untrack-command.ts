import type { Command } from 'commander';
import { untrack } from '../../lifecycle/untrack.js';
import { requireInstalled, withPool } from './command-database.js';

/** `rowtrail untrack <table...>`: stops recording tables' changes; their history is kept unless --drop-history. */
export function registerUntrackCommand(program: Command): void {
  program.command('untrack')
    .description('stop recording the changes of tables (those tracked with install --table; for @Tracked entities, remove the decorator and prune): drops their capture triggers; history is kept unless --drop-history')
    .argument('<tables...>', '"schema.table", or "table" in public')
    .option('--drop-history', 'also drop their history tables with their history (recorded in the maintenance log)')
    .action(async (tables: string[], flags: { dropHistory?: boolean }, command: Command) => {
      await withPool(command, async (pool, { schema }) => {
        await requireInstalled(pool, schema);
        const result = await untrack(pool, tables, { schema, dropHistory: flags.dropHistory });
        for (const table of result.untracked) process.stdout.write(`Stopped tracking ${table}\n`);
        for (const table of result.alreadyUntracked) process.stdout.write(`${table} was already untracked: no capture trigger was recording its changes\n`);
        for (const table of result.goneTables) process.stdout.write(`${table} no longer exists (dropped since its install): stopped tracking it\n`);
        for (const history of result.droppedHistory) process.stdout.write(`Dropped history table ${history}\n`);
        if (!flags.dropHistory) {
          const named = [...result.untracked, ...result.alreadyUntracked, ...result.goneTables];
          const one = named.length === 1;
          // a table that no longer exists cannot be tracked again
          const again = result.goneTables.length < named.length ? ' rowtrail install --table tracks a table again (continuing its history),' : '';
          process.stdout.write(`History kept: readable as before;${again} rowtrail untrack ${named.join(' ')} --drop-history drops ${one ? 'it' : 'them'} with ${one ? 'its' : 'their'} history.\n`);
        }
      });
    });
}
