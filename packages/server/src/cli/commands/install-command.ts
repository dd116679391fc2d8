import type { Command } from 'commander';
import type pg from 'pg';
import { quoteIdent } from '../../ddl/quote.js';
import type { TrackedTableSpec } from '../../ddl/tracked-table-spec.js';
import { catalogColumns } from '../../install/catalog-columns.js';
import { install } from '../../install/installer.js';
import { assignColumnFlags } from './column-flags.js';
import { withPool } from './command-database.js';

interface InstallFlags {
  dataSource?: string;
  table?: string[];
  exclude?: string[];
  ignore?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `rowtrail install`: the core schema, and history capture for tables named with --table. */
export function registerInstallCommand(program: Command): void {
  program
    .command('install')
    .description('install (or update) the Rowtrail schema; --data-source also tracks its @Tracked entities, --table a table read from the database catalog')
    .option('-d, --data-source <path>', 'module exporting the TypeORM DataSource: install capture for its @Tracked entities (and their protections)')
    .option('--table <table>', 'track this table ("schema.table" or "table" in public); repeatable', collect)
    .option('--exclude <table.column>', 'never record this column (secrets): "table.column" or "schema.table.column" of a --table; repeatable', collect)
    .option('--ignore <table.column>', 'record this column but do not make an event when only it changes ("table.column" or "schema.table.column" of a --table); repeatable', collect)
    .action(async (flags: InstallFlags, command: Command) => {
      if (flags.dataSource) {
        if (flags.table || flags.exclude || flags.ignore) throw new Error('--data-source installs the entities\' own settings: it cannot be combined with --table, --exclude or --ignore');
        const { schema } = command.optsWithGlobals<{ schema: string }>();
        // Loaded only here: the other commands never load TypeORM.
        const [{ withDataSource }, { installTracked }, { declaredCounts }] = await Promise.all([
          import('./data-source-option.js'), import('../../typeorm/install-tracked.js'), import('../../typeorm/tracked-lifecycle.js'),
        ]);
        const { result, declared } = await withDataSource({ dataSource: flags.dataSource }, async (dataSource) => ({
          declared: declaredCounts(dataSource),
          result: await installTracked(dataSource, { schema }),
        }));
        process.stdout.write(`Rowtrail schema "${schema}" at version ${result.version}${result.appliedMigrations.length ? ` (applied: ${result.appliedMigrations.join(', ')})` : ''}\n`);
        if (declared.tracked === 0 && declared.protected === 0) {
          // "up to date" would hide a wrong module, or entities whose decorators this process never ran
          process.stderr.write(`Warning: none of the DataSource's ${declared.entities} entities is @Tracked or declares a protection: nothing was tracked\n`);
        } else {
          process.stdout.write(result.updatedTables.length ? `Installed or updated capture for ${result.updatedTables.join(', ')}\n` : 'Tracked entities are up to date\n');
        }
        if (result.updatedProtections.length) process.stdout.write(`Installed or updated protections ${result.updatedProtections.join(', ')}\n`);
        return;
      }
      await withPool(command, async (pool, { schema }) => {
        const specs: TrackedTableSpec[] = [];
        for (const name of flags.table ?? []) specs.push(await introspectTable(pool, name));
        // every entry checked before anything is installed
        const excluded = assignColumnFlags('--exclude', flags.exclude ?? [], specs);
        const ignored = assignColumnFlags('--ignore', flags.ignore ?? [], specs);
        for (const spec of specs) {
          spec.exclude = excluded.get(`${spec.schema}.${spec.table}`)!;
          spec.ignoreChanges = ignored.get(`${spec.schema}.${spec.table}`)!;
        }
        const result = await install(pool, specs, { schema });
        process.stdout.write(result.appliedMigrations.length
          ? `Installed Rowtrail schema "${schema}" (migrations: ${result.appliedMigrations.join(', ')})\n`
          : `Rowtrail schema "${schema}" is up to date (version ${result.version})\n`);
        for (const signature of result.restoredFunctions) process.stdout.write(`Restored core function ${signature}, which had been replaced by hand\n`);
        for (const spec of specs) {
          const name = `${spec.schema}.${spec.table}`;
          process.stdout.write(`${result.updatedTables.includes(name) ? 'Tracking' : 'Already tracking'} ${name}\n`);
        }
      });
    });
}

/** Builds a table's spec from the catalog: columns with their SQL types, and its primary key. */
async function introspectTable(pool: pg.Pool, name: string): Promise<TrackedTableSpec> {
  const dot = name.indexOf('.');
  const [schema, table] = dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] : ['public', name];
  const regclass = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const columns = await catalogColumns(pool, regclass); // enums as text, as @Tracked entities record them
  if (columns.length === 0) throw new Error(`--table: unknown table ${schema}.${table} (no such table in the database)`);
  const key = await pool.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
     WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY k.ord`,
    [regclass],
  );
  return {
    schema, table, label: table,
    primaryKey: key.rows.map((r) => r.name),
    columns,
    exclude: [],
    ignoreChanges: [],
  };
}
