import { Command } from 'commander';
import { registerCommands } from './commands/index.js';
import { once } from './once-option.js';
import { DEFAULT_SCHEMA, schemaOption } from './schema-option.js';

/** The `rowtrail` command line. */
export function buildProgram(): Command {
  const program = new Command('rowtrail')
    .description('Row-level history and protection for PostgreSQL')
    .option('--database-url <url>', 'PostgreSQL connection string (default: $DATABASE_URL)', once('--database-url'))
    .option('--schema <name>', 'schema holding Rowtrail tables', schemaOption(), DEFAULT_SCHEMA)
    .showHelpAfterError()
    // commander's own errors (an unknown option or command, a value an option does not accept) start "rowtrail:" too,
    // as every other failure of the command does
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'rowtrail: ')) });
  registerCommands(program);
  // A DataSource module brings its own connection: a --database-url beside it would be silently ignored.
  program.hook('preAction', (_program, action) => {
    if (action.opts().dataSource && program.opts().databaseUrl) {
      throw new Error(`${action.name()}: --database-url cannot be combined with --data-source, which connects with the DataSource module's own options`);
    }
  });
  return program;
}
