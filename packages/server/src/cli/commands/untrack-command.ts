import type { Command } from 'commander';
import type pg from 'pg';
import { qualified } from '../../ddl/quote.js';
import { splitTableName } from '../../install/catalog-table-spec.js';
import { registryRows, type RegistryRow } from '../../lifecycle/registry-rows.js';
import { untrack } from '../../lifecycle/untrack.js';
import { schemaFlag, shellWord } from '../schema-option.js';
import { requireInstalled, withPool } from './command-database.js';

/** `rowtrail untrack <table...>`: stops recording tables' changes; their history is kept unless --drop-history --yes. */
export function registerUntrackCommand(program: Command): void {
  program.command('untrack')
    .description('stop recording the changes of tables (those tracked with install --table; for @Tracked entities, remove the decorator and prune): drops their capture triggers; history is kept unless --drop-history --yes')
    .argument('<tables...>', '"schema.table", or "table" in public')
    .option('--drop-history', 'also drop their history tables with their history (recorded in the maintenance log); needs --yes')
    .option('--yes', 'confirm --drop-history: the recorded history of the tables is deleted')
    .action(async (tables: string[], flags: { dropHistory?: boolean; yes?: boolean }, command: Command) => {
      if (flags.dropHistory && !flags.yes) {
        throw new Error(`untrack --drop-history deletes the history tables of ${tables.join(', ')}, with their recorded history: pass --yes to confirm; without --drop-history the history is kept`);
      }
      await withPool(command, async (pool, { schema }) => {
        await requireInstalled(pool, schema);
        const x = schemaFlag(schema);
        // read before: --drop-history deletes the registry rows (an install in between changes only what this says)
        const before = await settingsOf(pool, schema, tables);
        const result = await untrack(pool, tables, { schema, dropHistory: flags.dropHistory });
        const settings = before.filter((s) => [...result.untracked, ...result.alreadyUntracked, ...result.goneTables].includes(s.table));
        for (const table of result.untracked) process.stdout.write(`Stopped tracking ${table}\n`);
        for (const table of result.alreadyUntracked) process.stdout.write(`${table} was already untracked: no capture trigger was recording its changes\n`);
        for (const table of result.goneTables) process.stdout.write(`${table} no longer exists (dropped since its install): stopped tracking it\n`);
        for (const history of result.droppedHistory) process.stdout.write(`Dropped history table ${history}\n`);
        // a table that no longer exists cannot be tracked again; an application's is tracked again by its own install
        const gone = new Set(result.goneTables);
        const again = settings.filter((s) => !gone.has(s.table) && s.declaredBy !== 'application');
        const excluded = again.flatMap((s) => s.excluded.map((c) => `${s.table}.${c}`));
        if (!flags.dropHistory) {
          const named = [...result.untracked, ...result.alreadyUntracked, ...result.goneTables];
          const one = named.length === 1;
          const track = again.length === 0 ? '' : ` ${installCommand(again, x)} tracks ${again.length === 1 ? 'it' : 'them'} again, continuing ${again.length === 1 ? 'its' : 'their'} history`
            + `${excluded.length > 0 ? ` without recording ${excluded.join(', ')}, as before` : ''};`;
          process.stdout.write(`History kept: readable as before;${track} rowtrail untrack ${named.map(shellWord).join(' ')} --drop-history --yes${x} drops ${one ? 'it' : 'them'} with ${one ? 'its' : 'their'} history.\n`);
        } else if (excluded.length > 0) {
          // the registry row went with the history: nothing remembers the exclusions now but this line
          process.stdout.write(`${installCommand(again, x)} tracks ${again.length === 1 ? 'it' : 'them'} again (a new history) with the exclusions ${again.length === 1 ? 'it' : 'they'} had: `
            + `without --exclude it would record ${excluded.join(', ')}\n`);
        }
        for (const s of settings.filter((s) => s.declaredBy === 'application' && !gone.has(s.table))) {
          process.stderr.write(`Warning: ${s.table} is declared by an application (a @Tracked entity): its next install from the entities (rowtrail install --data-source, installTracked(), a generated migration) `
            + `tracks it again; to stop tracking it for good, remove the decorator and run rowtrail prune --data-source <module>${x}\n`);
        }
      });
    });
}

/** What the registry says of a table untrack is given: who declared it, and its excluded and ignored columns the table still has. */
interface UntrackedSettings {
  table: string;
  declaredBy: RegistryRow['declared_by'];
  excluded: string[];
  ignored: string[];
}

async function settingsOf(pool: pg.Pool, schema: string, tables: string[]): Promise<UntrackedSettings[]> {
  const registry = await registryRows(pool, schema);
  const settings: UntrackedSettings[] = [];
  for (const name of new Set(tables.map((given) => { const t = splitTableName(given); return `${t.schema}.${t.table}`; }))) {
    const row = registry.get(name);
    if (!row) continue; // untrack refuses it
    const t = splitTableName(name);
    const { rows: present } = await pool.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`, [qualified(t.schema, t.table)],
    );
    const has = (column: string) => present.some((c) => c.name === column);
    settings.push({ table: name, declaredBy: row.declared_by, excluded: row.excluded.filter(has), ignored: row.ignored.filter(has) });
  }
  return settings;
}

/** The install --table that tracks the tables again with the columns they excluded and ignored. */
function installCommand(tables: UntrackedSettings[], x: string): string {
  const columns = (flag: string, t: UntrackedSettings, names: string[]) => names.map((c) => ` ${flag} ${shellWord(`${t.table}.${c}`)}`).join('');
  return `rowtrail install${tables.map((t) => ` --table ${shellWord(t.table)}${columns('--exclude', t, t.excluded)}${columns('--ignore', t, t.ignored)}`).join('')}${x}`;
}
