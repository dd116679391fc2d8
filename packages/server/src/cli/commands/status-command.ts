import type { Command } from 'commander';
import { once } from '../once-option.js';
import { CHANGED_CORE_FUNCTION, CHANGED_CORE_FUNCTION_ATTRIBUTES, CHANGED_CORE_FUNCTION_SETTINGS, type StatusEntry } from '../../lifecycle/status.js';
import { databaseStatus } from '../../lifecycle/database-status.js';
import { withPool } from './command-database.js';
import { withDataSource } from './data-source-option.js';

interface StatusFlags {
  dataSource?: string;
  json?: boolean;
  check?: boolean;
}

/** One line per entry: state, kind, table (padded to tableWidth, so the names of a listing line up), name, and any column drift. */
export function formatStatusEntry(e: StatusEntry, tableWidth = 28): string {
  const drift = e.drift && (e.drift.added.length || e.drift.dropped.length || e.drift.retyped.length)
    ? `  drift: ${[
      ...e.drift.added.map((c) => `+${c}`),
      ...e.drift.dropped.map((c) => `-${c}`),
      ...e.drift.retyped.map((c) => `${c.name} ${c.from} -> ${c.to}`),
    ].join(', ')}`
    : '';
  const detail = e.detail ? `  ${e.detail}` : '';
  const declared = e.declaredBy === 'catalog' ? '  (install --table)' : '';
  return `${e.state.padEnd(9)} ${e.kind.padEnd(14)} ${(e.table || '-').padEnd(tableWidth)} ${e.name}${declared}${drift}${detail}`;
}

/** `rowtrail status`: every Rowtrail trigger and history table, installed / outdated / missing / orphaned. */
export function registerStatusCommand(program: Command): void {
  program.command('status')
    .description('list Rowtrail triggers and history tables as installed, outdated, missing or orphaned, with schema drift')
    .option('-d, --data-source <path>', 'module exporting the TypeORM DataSource, to compare with its entities (default: report from the database alone, via --database-url / $DATABASE_URL)', once('--data-source'))
    .option('--json', 'print the status as JSON')
    .option('--check', 'exit with code 1 unless everything is installed')
    .action(async (flags: StatusFlags, command: Command) => {
      const { schema } = command.optsWithGlobals<{ schema: string }>();
      const { dataSource } = flags;
      const result = dataSource !== undefined
        ? await withDataSource({ dataSource }, async (ds) => (await import('../../typeorm/tracked-lifecycle.js')).trackedStatus(ds, { schema }))
        : await withPool(command, (pool) => databaseStatus(pool, { schema }));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        // long table names (a join table's, a schema's) widen the column rather than push their names out of line
        const tableWidth = Math.max(28, ...result.entries.map((e) => (e.table || '-').length + 1));
        for (const entry of result.entries) process.stdout.write(`${formatStatusEntry(entry, tableWidth)}\n`);
        process.stdout.write(`${summary(result.entries)}\n`);
      }
      if (flags.check && !result.upToDate) process.exitCode = 1;
    });
}

/** The last line: what to run. Only orphaned history tables left: prune alone keeps them, --drop-history drops them. */
function summary(entries: StatusEntry[]): string {
  const open = entries.filter((e) => e.state !== 'installed');
  if (open.length === 0) return 'Everything is installed.';
  if (open.every((e) => e.kind === 'history-table' && e.state === 'orphaned')) {
    return 'Not up to date: only history tables no tracked table writes to remain; rowtrail untrack <table> --drop-history drops the history of a table untracked with untrack, prune --data-source <module> --drop-history drops every one (with their history).';
  }
  // a table install --table declared is built from the catalog, not from a DataSource: install --table brings it up to
  // date (keeping its exclusions and ignored columns), and a plain install or a generated migration leaves it as it is
  // (a table renamed since under its new name, which its history moves to)
  const catalogTables = [...new Set(open.filter((e) => e.declaredBy === 'catalog' && e.state !== 'orphaned' && e.table).map((e) => e.renamedTo ?? e.table))];
  const forCatalog = catalogTables.length === 0 ? '' : `rowtrail install --table ${catalogTables.join(' --table ')} for the tables tracked with install --table`;
  if (forCatalog && open.every((e) => e.declaredBy === 'catalog' && e.state !== 'orphaned')) return `Not up to date: run ${forCatalog}.`;
  // core files (and core functions replaced by hand) need no entities; anything of an application's tables does
  if (open.every((e) => e.kind === 'core-migration' || [CHANGED_CORE_FUNCTION, CHANGED_CORE_FUNCTION_ATTRIBUTES, CHANGED_CORE_FUNCTION_SETTINGS].some((prefix) => e.detail?.startsWith(prefix)))) return 'Not up to date: run rowtrail install.';
  return 'Not up to date: run rowtrail install --data-source <module> (installTracked() in code; without --data-source, install brings only the core up to date), '
    + `prune --data-source <module>, or generate a migration (rowtrail migration:generate --data-source <module>)${forCatalog ? `; run ${forCatalog}` : ''}.`;
}
