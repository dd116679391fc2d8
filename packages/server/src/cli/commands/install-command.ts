import type { Command } from 'commander';
import { collect } from '../repeatable-option.js';
import { once } from '../once-option.js';
import type pg from 'pg';
import type { TrackedTableSpec } from '../../ddl/tracked-table-spec.js';
import { renamedTableTarget } from '../../install/renamed-table-source.js';
import { catalogTableSpec, splitTableName } from '../../install/catalog-table-spec.js';
import { installDeclared } from '../../install/installer.js';
import { registryRows } from '../../lifecycle/registry-rows.js';
import { applyEarlierColumnSettings, type EarlierColumnSettings } from './earlier-column-settings.js';
import { assignColumnFlags } from './column-flags.js';
import { withPool } from './command-database.js';
import { schemaFlag } from '../schema-option.js';

interface InstallFlags {
  dataSource?: string;
  table?: string[];
  exclude?: string[];
  ignore?: string[];
  record?: string[];
}

/** `rowtrail install`: the core schema, and history capture for tables named with --table. */
export function registerInstallCommand(program: Command): void {
  program
    .command('install')
    .description('install (or update) the Rowtrail schema; --data-source also tracks its @Tracked entities, --table a table read from the database catalog')
    .option('-d, --data-source <path>', 'module exporting the TypeORM DataSource: install capture for its @Tracked entities (and their protections)', once('--data-source'))
    .option('--table <table>', 'track this table ("schema.table" or "table" in public); repeatable', collect)
    .option('--exclude <table.column>', 'never record this column (secrets): "table.column" or "schema.table.column" of a --table; repeatable', collect)
    .option('--ignore <table.column>', 'record this column but do not make an event when only it changes ("table.column" or "schema.table.column" of a --table); repeatable', collect)
    .option('--record <table.column>', 'record this column though an earlier install of the table excluded it (also one untracked since), or though it is new since an excluded column went (a rename?); repeatable', collect)
    .action(async (flags: InstallFlags, command: Command) => {
      if (flags.dataSource) {
        if (flags.table || flags.exclude || flags.ignore || flags.record) throw new Error('--data-source installs the entities\' own settings: it cannot be combined with --table, --exclude, --ignore or --record');
        const { schema } = command.optsWithGlobals<{ schema: string }>();
        // Loaded only here: the other commands never load TypeORM.
        const [{ withDataSource }, { installTracked }, { declaredCounts }] = await Promise.all([
          import('./data-source-option.js'), import('../../typeorm/install-tracked.js'), import('../../typeorm/tracked-lifecycle.js'),
        ]);
        const { result, declared } = await withDataSource({ dataSource: flags.dataSource }, async (dataSource) => ({
          declared: declaredCounts(dataSource),
          result: await installTracked(dataSource, { schema }),
        }));
        if (result.laterRelease !== undefined) return writeLaterRelease(schema, result.laterRelease);
        process.stdout.write(`Rowtrail schema "${schema}" at version ${result.version}${result.appliedMigrations.length ? ` (applied: ${result.appliedMigrations.join(', ')})` : ''}\n`);
        if (declared.tracked === 0 && declared.protected === 0) {
          // "up to date" would hide a wrong module, or entities whose decorators this process never ran
          process.stderr.write(`Warning: none of the DataSource's ${declared.entities} entities is @Tracked or declares a protection: nothing was tracked\n`);
        } else {
          process.stdout.write(result.updatedTables.length ? `Installed or updated capture for ${result.updatedTables.join(', ')}\n` : 'Tracked entities are up to date\n');
        }
        writeRenamedTables(result.renamedTables);
        if (result.updatedProtections.length) process.stdout.write(`Installed or updated protections ${result.updatedProtections.join(', ')}\n`);
        return;
      }
      await withPool(command, async (pool, { schema }) => {
        const specs: TrackedTableSpec[] = [];
        for (const name of flags.table ?? []) {
          const spec = await introspectTable(pool, name, schema);
          // the same table named twice (`account` and `public.account`) is one table
          if (!specs.some((s) => s.schema === spec.schema && s.table === spec.table)) specs.push(spec);
        }
        // every entry checked before anything is installed
        const excluded = assignColumnFlags('--exclude', flags.exclude ?? [], specs);
        const ignored = assignColumnFlags('--ignore', flags.ignore ?? [], specs);
        const recorded = assignColumnFlags('--record', flags.record ?? [], specs);
        for (const [name, columns] of recorded) {
          const both = columns.filter((c) => excluded.get(name)!.includes(c));
          if (both.length > 0) throw new Error(`--record ${name}.${both[0]}: the column is given with --exclude too: give one`);
        }
        const ignoresGiven = new Set([...ignored].filter(([, columns]) => columns.length > 0).map(([name]) => name));
        for (const spec of specs) {
          spec.exclude = excluded.get(`${spec.schema}.${spec.table}`)!;
          spec.ignoreChanges = ignored.get(`${spec.schema}.${spec.table}`)!;
        }
        let earlier: EarlierColumnSettings = { keptExclusions: [], goneExclusions: [], recordedExclusions: [] };
        // each attempt of the install (one after a deadlock too) settles the flags as given against the registry it reads
        const given = specs.map((spec) => ({ exclude: spec.exclude, ignoreChanges: spec.ignoreChanges }));
        const result = await installDeclared(pool, specs, { schema }, 'catalog', async (client, registry) => {
          specs.forEach((spec, i) => Object.assign(spec, given[i]));
          earlier = await applyEarlierColumnSettings(client, registry, specs, schema, ignoresGiven, recorded);
        });
        if (result.laterRelease !== undefined) return writeLaterRelease(schema, result.laterRelease);
        process.stdout.write(result.appliedMigrations.length
          ? `Installed Rowtrail schema "${schema}" (migrations: ${result.appliedMigrations.join(', ')})\n`
          : `Rowtrail schema "${schema}" is up to date (version ${result.version})\n`);
        for (const signature of result.restoredFunctions) process.stdout.write(`Restored core function ${signature}, which had been replaced by hand\n`);
        writeRenamedTables(result.renamedTables);
        for (const spec of specs) {
          const name = `${spec.schema}.${spec.table}`;
          process.stdout.write(`${result.updatedTables.includes(name) ? 'Tracking' : 'Already tracking'} ${name}\n`);
        }
        const kept = earlier.keptExclusions;
        if (kept.length > 0) process.stdout.write(`Still excluding ${kept.join(', ')} (excluded by an earlier install; ${kept.map((c) => `--record ${c}`).join(' ')} records ${kept.length === 1 ? 'it' : 'them'})\n`);
        const recording = earlier.recordedExclusions;
        if (recording.length > 0) process.stdout.write(`Recording ${recording.join(', ')}, which an earlier install excluded (--record)\n`);
        const gone = earlier.goneExclusions;
        if (gone.length > 0) process.stdout.write(`No longer excluding ${gone.join(', ')}: the table has no such column any more\n`);
      });
    });
}

/** An install that changed nothing: a later release of Rowtrail installed the schema (the warning says why). */
function writeLaterRelease(schema: string, version: number): void {
  process.stdout.write(`Nothing was installed: Rowtrail schema "${schema}" has core version ${version}, from a later release of Rowtrail than this one\n`);
}

/** Tables renamed since their install, whose history the install moved to the new name. */
function writeRenamedTables(renamed: { from: string; to: string }[]): void {
  for (const { from, to } of renamed) process.stdout.write(`The history of ${from} continues under its new name ${to}\n`);
}

/** A --table's spec from the catalog, or an error naming the table. */
async function introspectTable(pool: pg.Pool, name: string, rowtrailSchema: string): Promise<TrackedTableSpec> {
  const spec = await catalogTableSpec(pool, name);
  if (!spec) {
    const { schema, table } = splitTableName(name);
    // a tracked table renamed since: the name to give is the one it has now
    const registered = (await registryRows(pool, rowtrailSchema)).get(`${schema}.${table}`);
    const renamedTo = registered && await renamedTableTarget(pool, registered, rowtrailSchema);
    throw new Error(`--table: unknown table ${schema}.${table} (no such table in the database)${renamedTo
      ? `; it was renamed to ${renamedTo}, which runs its history capture: rowtrail install --table ${renamedTo}${schemaFlag(rowtrailSchema)} continues its history there` : ''}`);
  }
  return spec;
}
