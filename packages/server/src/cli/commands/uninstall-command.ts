import type { Command } from 'commander';
import { uninstall } from '../../install/uninstaller.js';
import { quoteIdent } from '../../ddl/quote.js';
import { withPool } from './command-database.js';

/** `rowtrail uninstall --yes`: removes capture triggers and the Rowtrail schema with all history (only Rowtrail's objects, when it holds others too). */
export function registerUninstallCommand(program: Command): void {
  program
    .command('uninstall')
    .description('remove capture triggers and the Rowtrail schema, with all recorded history')
    .option('--yes', 'confirm: all recorded history is deleted')
    .action(async (flags: { yes?: boolean }, command: Command) => {
      if (!flags.yes) throw new Error('uninstall deletes all recorded history: pass --yes to confirm');
      await withPool(command, async (pool, { schema }) => {
        const present = (await pool.query<{ s: string | null }>('SELECT to_regnamespace($1) AS s', [quoteIdent(schema)])).rows[0].s;
        if (!present) {
          process.stdout.write(`Rowtrail is not installed in this database (no schema "${schema}"): nothing to remove\n`);
          return;
        }
        const result = await uninstall(pool, { schema });
        const triggers = result.removedTables.length ? ` and capture triggers from ${result.removedTables.join(', ')}` : '';
        process.stdout.write(result.keptObjects.length === 0
          ? `Removed Rowtrail schema "${schema}"${triggers}\n`
          : `Removed Rowtrail's objects from schema "${schema}"${triggers}; kept the schema with what else it holds: ${result.keptObjects.join(', ')}\n`);
      });
    });
}
