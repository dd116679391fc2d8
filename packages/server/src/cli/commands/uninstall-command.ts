import type { Command } from 'commander';
import { uninstall } from '../../install/uninstaller.js';
import { withPool } from './command-database.js';

/** `rowtrail uninstall --yes`: removes capture triggers and the Rowtrail schema with all history. */
export function registerUninstallCommand(program: Command): void {
  program
    .command('uninstall')
    .description('remove capture triggers and the Rowtrail schema, with all recorded history')
    .option('--yes', 'confirm: all recorded history is deleted')
    .action(async (flags: { yes?: boolean }, command: Command) => {
      if (!flags.yes) throw new Error('uninstall deletes all recorded history: pass --yes to confirm');
      await withPool(command, async (pool, { schema }) => {
        const result = await uninstall(pool, { schema });
        process.stdout.write(`Removed Rowtrail schema "${schema}"${result.removedTables.length ? ` and capture triggers from ${result.removedTables.join(', ')}` : ''}\n`);
      });
    });
}
