import type { Command } from 'commander';
import { CHANGED_CORE_FUNCTION, CHANGED_CORE_FUNCTION_ATTRIBUTES, CHANGED_CORE_FUNCTION_SETTINGS, HISTORY_MISSES_CHANGES, TABLE_GONE, type StatusEntry } from '../../lifecycle/status.js';
import { driftText, hasDrift } from '../../lifecycle/history-drift.js';
import { databaseStatus } from '../../lifecycle/database-status.js';
import { loadSqlMigrations } from '../../install/sql-files.js';
import { withPool } from './command-database.js';
import { dataSourcesOption, withDataSources } from './data-source-option.js';
import { schemaFlag } from '../schema-option.js';

interface StatusFlags {
  dataSource?: string[];
  json?: boolean;
  check?: boolean;
}

/** One line per entry: state, kind, table (padded to tableWidth, so the names of a listing line up), name, and any column drift. */
export function formatStatusEntry(e: StatusEntry, tableWidth = 28): string {
  const drift = e.drift && hasDrift(e.drift) ? `  drift: ${driftText(e.drift)}` : '';
  const detail = e.detail ? `  ${e.detail}` : '';
  const declared = e.declaredBy === 'catalog' ? '  (install --table)' : '';
  return `${e.state.padEnd(9)} ${e.kind.padEnd(14)} ${(e.table || '-').padEnd(tableWidth)} ${e.name}${declared}${drift}${detail}`;
}

/**
 * The lines of a listing: the core migrations that are installed as one line (how many, and the core version they make:
 * the highest of them), where the first core migration would be, then each one that is not (missing, or modified since
 * install) on its own line with its detail; every other entry as formatStatusEntry() writes it. `--json` keeps them all.
 */
export function statusLines(entries: StatusEntry[], tableWidth = 28): string[] {
  const coreEntries = entries.filter((e) => e.kind === 'core-migration');
  const installed = coreEntries.filter((e) => e.state === 'installed');
  const lines: string[] = [];
  for (const entry of entries) {
    if (entry === coreEntries[0] && installed.length > 0) {
      // the version the applied files make (one modified since install is applied too); a later release's, if any, has a line of its own
      const ids = new Map(loadSqlMigrations().map((m) => [m.name, m.id]));
      const version = Math.max(...coreEntries.filter((e) => e.state !== 'missing').map((e) => ids.get(e.name) ?? 0));
      lines.push(formatStatusEntry({ kind: 'core-migration', table: '', name: `${installed.length} of ${coreEntries.length} migrations, core version ${version}`, state: 'installed' }, tableWidth));
    }
    if (entry.kind === 'core-migration' && entry.state === 'installed') continue;
    lines.push(formatStatusEntry(entry, tableWidth));
  }
  return lines;
}

/** `rowtrail status`: every Rowtrail trigger and history table, installed / outdated / missing / orphaned. */
export function registerStatusCommand(program: Command): void {
  dataSourcesOption(program.command('status'), 'module exporting the TypeORM DataSource, to compare with its entities (default: report from the database alone, '
    + 'via --database-url / $DATABASE_URL); repeat it for several DataSources of one database, taken together', false)
    .description('list Rowtrail triggers and history tables as installed, outdated, missing or orphaned, with schema drift')
    .option('--json', 'print the status as JSON')
    .option('--check', 'exit with code 1 unless everything is installed')
    .action(async (flags: StatusFlags, command: Command) => {
      const { schema } = command.optsWithGlobals<{ schema: string }>();
      const { dataSource } = flags;
      const result = dataSource !== undefined
        ? await withDataSources(dataSource, async (ds) => (await import('../../typeorm/tracked-lifecycle.js')).trackedStatus(ds, { schema }))
        : await withPool(command, (pool) => databaseStatus(pool, { schema }));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        // long table names (a join table's, a schema's) widen the column rather than push their names out of line
        const tableWidth = Math.max(28, ...result.entries.map((e) => (e.table || '-').length + 1));
        for (const line of statusLines(result.entries, tableWidth)) process.stdout.write(`${line}\n`);
        process.stdout.write(`${summary(result.entries, schema)}\n`);
      }
      if (flags.check && !result.upToDate) process.exitCode = 1;
    });
}

// every command advised carries --schema when it is not the default: followed as printed, it acts on this installation
const dataSourceAdvice = (x: string) => `rowtrail install --data-source <module>${x} (installTracked() in code; without --data-source, install brings only the core up to date), `
  + `prune --data-source <module>${x}, or generate a migration (rowtrail migration:generate --data-source <module>${x})`;
const orphanedHistoryAdvice = (x: string) => `rowtrail untrack <table> --drop-history --yes${x} drops the history of a table untracked with untrack, `
  + `prune --data-source <module> --drop-history --yes${x} drops every one (with their history)`;
const CORE_DETAILS = [CHANGED_CORE_FUNCTION, CHANGED_CORE_FUNCTION_ATTRIBUTES, CHANGED_CORE_FUNCTION_SETTINGS];

/**
 * The last line: what to run, for each table by how it is declared. Only orphaned history tables left: prune alone keeps
 * them, --drop-history drops them. A declared table whose columns are not the declared ones (columnMismatch): the
 * migrations that bring it up to date first, since install refuses it until then.
 */
function summary(entries: StatusEntry[], schema: string): string {
  const x = schemaFlag(schema);
  const open = entries.filter((e) => e.state !== 'installed');
  if (open.length === 0) return 'Everything is installed.';
  const orphanedHistory = (e: StatusEntry) => e.kind === 'history-table' && e.state === 'orphaned';
  if (open.every(orphanedHistory)) return `Not up to date: only history tables no tracked table writes to remain; ${orphanedHistoryAdvice(x)}.`;
  // the table an entry is about: an append-only entry names the history table, whose history-table entry names the table
  const historyOf = new Map(entries.filter((e) => e.kind === 'history-table' && e.table).map((e) => [e.name, e.table]));
  const tableOf = (e: StatusEntry) => (e.kind === 'append-only' ? historyOf.get(e.table) ?? e.table : e.table);
  const unique = (tables: string[]) => [...new Set(tables)];
  // registered tables dropped since: there is nothing to install; untrack stops tracking them
  const gone = new Set(open.filter((e) => e.kind === 'capture' && e.detail?.startsWith(TABLE_GONE)).map((e) => e.table));
  const core = (e: StatusEntry) => e.kind === 'core-migration' || CORE_DETAILS.some((prefix) => e.detail?.startsWith(prefix));
  // tables that became part of a partitioned table or inheritance hierarchy since: install refuses them as they are
  const untrackable = new Set(open.filter((e) => e.kind === 'capture' && e.detail?.split('; ').some((d) => d.startsWith(`${HISTORY_MISSES_CHANGES}:`))).map((e) => e.table));
  const rest = open.filter((e) => !orphanedHistory(e) && !core(e) && !gone.has(tableOf(e)) && !untrackable.has(tableOf(e)));
  // a table install --table declared is built from the catalog, not from a DataSource: install --table brings it up to
  // date (keeping its exclusions and ignored columns), and a plain install or a generated migration leaves it as it is
  // (a table renamed since under its new name, which its history moves to)
  const catalog = unique(rest.filter((e) => e.declaredBy === 'catalog' && e.state !== 'orphaned').map((e) => e.renamedTo ?? tableOf(e)));
  const application = rest.filter((e) => !(e.declaredBy === 'catalog' && e.state !== 'orphaned'));
  // registered before core version 9, which did not record whether install --table tracked them
  const unrecorded = unique(application.filter((e) => e.declarationUnrecorded).map((e) => e.renamedTo ?? tableOf(e)));
  const steps: string[] = [];
  if (unrecorded.length > 0) {
    const one = unrecorded.length === 1;
    steps.push(`run rowtrail install --table ${unrecorded.join(' --table ')}${x} if ${one ? 'it was' : 'they were'} tracked with install --table (registered before core version 9, `
      + `which did not record how a table was tracked; until then prune --data-source would remove ${one ? 'its' : 'their'} capture)`);
  }
  if (application.length > 0) steps.push(`${application.every((e) => e.declarationUnrecorded) ? 'otherwise run' : 'run'} ${dataSourceAdvice(x)}`);
  if (catalog.length > 0) steps.push(`run rowtrail install --table ${catalog.join(' --table ')}${x} for the tables tracked with install --table`);
  // (an application's table: an install from entities that still declare it refuses it)
  const declaredByCatalog = (table: string) => open.some((e) => e.table === table && (e.declaredBy === 'catalog' || e.declarationUnrecorded));
  for (const [tables, byApplication] of [[[...gone].filter(declaredByCatalog), false], [[...gone].filter((t) => !declaredByCatalog(t)), true]] as const) {
    if (tables.length === 0) continue;
    const one = tables.length === 1;
    const names = tables.join(' ');
    steps.push(`${tables.join(', ')} no longer ${one ? 'exists' : 'exist'}: ${byApplication ? `stop declaring ${one ? 'it' : 'them'} (${one ? 'its' : 'their'} @Tracked `
      + `${one ? 'entity' : 'entities'}; an install from the entities refuses a table that does not exist), then ` : ''}run rowtrail untrack ${names}${x} `
      + `(keeps ${one ? 'its' : 'their'} history) or rowtrail untrack ${names} --drop-history --yes${x}`);
  }
  for (const table of untrackable) {
    const byCatalog = declaredByCatalog(table);
    steps.push(`${table} cannot be tracked as it is now (its capture entry says why): take it out of the partitioned table or inheritance hierarchy as `
      + `that entry says, then run ${byCatalog ? `rowtrail install --table ${table}${x}` : `rowtrail install --data-source <module>${x}`}; or `
      + `${byCatalog ? `run rowtrail untrack ${table}${x}` : `stop declaring it, then run rowtrail prune --data-source <module>${x}`}`);
  }
  // core files (and core functions replaced by hand) need no entities, and every install brings them up to date
  if (open.some(core) && application.length === 0 && catalog.length === 0) steps.unshift(`run rowtrail install${x}`);
  if (open.some(orphanedHistory)) steps.push(`history tables no tracked table writes to are kept: ${orphanedHistoryAdvice(x)}`);
  // declared tables whose columns are not the declared ones: install refuses them (and so the whole install) until the
  // migrations that change them have run, so that comes first
  const mismatched = unique(open.filter((e) => e.columnMismatch).map((e) => e.table));
  if (mismatched.length > 0) {
    const one = mismatched.length === 1;
    const then = steps[0]?.startsWith('run ') ? [`then ${steps.shift()}`] : [];
    steps.unshift(`run the migrations that bring ${mismatched.join(', ')} up to date first (${one ? 'its columns are' : 'their columns are'} not the declared ones, `
      + `and install refuses ${one ? 'it' : 'them'} until they are), or make the ${one ? 'declaration match the table' : 'declarations match the tables'}`, ...then);
  }
  return `Not up to date: ${steps.join('; ')}.`;
}
