import type { Command } from 'commander';
import { registerServeCommand } from './serve-command.js';
import { registerExportCommand } from './export-command.js';
import { registerInstallCommand } from './install-command.js';
import { registerUninstallCommand } from './uninstall-command.js';
import { registerStatusCommand } from './status-command.js';
import { registerPruneCommand } from './prune-command.js';
import { registerUntrackCommand } from './untrack-command.js';
import { registerTrimHistoryCommand } from './trim-history-command.js';
import { registerMigrationGenerateCommand } from './migration-generate-command.js';

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerInstallCommand(program);
  registerUninstallCommand(program);
  registerServeCommand(program);
  registerExportCommand(program);
  registerStatusCommand(program);
  registerPruneCommand(program);
  registerUntrackCommand(program);
  registerTrimHistoryCommand(program);
  registerMigrationGenerateCommand(program);
}
