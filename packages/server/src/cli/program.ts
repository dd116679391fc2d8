import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

/** The `rowtrail` command line. */
export function buildProgram(): Command {
  const program = new Command('rowtrail')
    .description('Row-level history and protection for PostgreSQL')
    .option('--database-url <url>', 'PostgreSQL connection string (default: $DATABASE_URL)')
    .option('--schema <name>', 'schema holding Rowtrail tables', 'rowtrail')
    .showHelpAfterError();
  registerCommands(program);
  return program;
}
