import type { Command } from 'commander';
import { once } from '../once-option.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { dataSourceOption, withDataSource, type DataSourceFlags } from './data-source-option.js';

interface GenerateFlags extends DataSourceFlags {
  dir: string;
  name: string;
  js?: boolean;
}

/** `rowtrail migration:generate`: a TypeORM migration with the SQL that installs or updates history capture and protections. */
export function registerMigrationGenerateCommand(program: Command): void {
  dataSourceOption(program.command('migration:generate'))
    .description('write a TypeORM migration (up and down) bringing history capture and protections up to date, from the database the DataSource points at')
    .option('--dir <path>', 'directory of the migration file', once('--dir'), 'migrations')
    .option('--name <name>', 'migration class name (the timestamp is appended)', once('--name'), 'Rowtrail')
    .option('--js', 'write JavaScript (.js) instead of TypeScript: an ES module where the directory\'s package.json says "type": "module", else CommonJS')
    .action(async (flags: GenerateFlags, command: Command) => {
      const { schema } = command.optsWithGlobals<{ schema: string }>();
      const { generateTrackedMigration } = await import('../../typeorm/tracked-lifecycle.js');
      const { path, plan } = await withDataSource(flags, (dataSource) =>
        generateTrackedMigration(dataSource, { schema, dir: flags.dir, name: flags.name, language: flags.js ? javaScriptFlavour(flags.dir) : 'ts' }));
      for (const warning of plan.warnings ?? []) process.stderr.write(`Warning: ${warning}\n`);
      if (!path) {
        process.stdout.write('No changes: history capture and protections are up to date.\n');
        return;
      }
      process.stdout.write(`Migration ${path} generated:\n${plan.changes.map((c) => `  - ${c}\n`).join('')}`);
    });
}

/** How Node loads a .js file written to `dir`: as its nearest package.json's "type" says (CommonJS without one). */
function javaScriptFlavour(dir: string): 'js' | 'cjs' {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const manifest = join(current, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module' ? 'js' : 'cjs';
    if (dirname(current) === current) return 'cjs';
  }
}
