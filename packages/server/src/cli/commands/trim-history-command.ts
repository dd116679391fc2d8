import type { Command } from 'commander';
import { collect } from '../repeatable-option.js';
import { TrimOptionError } from '../../lifecycle/trim-cutoff.js';
import { trimHistory, type TrimHistoryResult } from '../../lifecycle/trim-history.js';
import { once } from '../once-option.js';
import { requireInstalled, withPool } from './command-database.js';

interface TrimFlags { before?: string; olderThan?: string; table?: string[]; reason?: string; yes?: boolean }

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** `rowtrail trim-history`: retention. Counts what it would delete unless --yes; with it, deletes in a logged maintenance window. */
export function registerTrimHistoryCommand(program: Command): void {
  program.command('trim-history')
    .description('retention: delete the events recorded before a time, with the contexts only they referred to, in one logged maintenance window; without --yes, only counts them')
    .option('--before <time>', 'delete the events before this time (ISO 8601; no offset means UTC)', once('--before'))
    .option('--older-than <interval>', 'delete the events older than this PostgreSQL interval, e.g. "90 days" or "2 years"', once('--older-than'))
    .option('--table <table>', 'only this tracked table\'s history ("schema.table"); repeatable; default every tracked table', collect)
    .option('--reason <text>', 'why, recorded in the maintenance log', once('--reason'))
    .option('--yes', 'delete them (without it, the command counts what it would delete and changes nothing)')
    .action(async (flags: TrimFlags, command: Command) => {
      if (flags.before !== undefined && flags.olderThan !== undefined) throw new Error('give one of --before <time> and --older-than <interval>, not both');
      if (flags.before === undefined && flags.olderThan === undefined) throw new Error('trim-history needs one of --before <time> and --older-than <interval>');
      await withPool(command, async (pool, { schema }) => {
        await requireInstalled(pool, schema);
        let result: TrimHistoryResult;
        try {
          result = await trimHistory(pool, { schema, before: flags.before, olderThan: flags.olderThan, tables: flags.table, reason: flags.reason, dryRun: !flags.yes });
        } catch (error) {
          throw flagError(error);
        }
        report(result);
      });
    });
}

/** A fault of an option named by the flag that gave it rather than the library's option. */
function flagError(error: unknown): unknown {
  if (!(error instanceof TrimOptionError)) return error;
  const flag = { before: '--before', olderThan: '--older-than', tables: '--table', reason: '--reason' }[error.parameter];
  // the query API's hint about "+" in a URL query means nothing on a command line
  const reason = error.reason.replace(/ \(a "\+" in a URL query must be written %2B\)$/, ' (write the offset with its sign, such as +02:00)');
  return new Error(flag ? `${flag}: ${reason}` : reason, { cause: error });
}

function report(result: TrimHistoryResult): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const did = result.dryRun ? 'Would delete' : 'Deleted';
  for (const t of result.tables) {
    const kept = t.keptLastVersions > 0 ? `, keeping the last version before it of ${plural(t.keptLastVersions, 'record')}` : '';
    out(`${did} ${plural(t.events, 'event')} of ${t.table ?? `${t.historyTable}, a history table no tracked table names`} before ${result.before}${t.table ? ` (${t.historyTable})` : ''}${kept}`);
  }
  if (result.legacyDiffs > 0) out(`${did} ${plural(result.legacyDiffs, 'diff')} written before core version 5 (rowtrail.diff)`);
  const contextsNote = result.contextsBefore < result.before ? ` (stored before ${result.contextsBefore}, when the oldest session now connected started: a session may still use a context it stored)` : '';
  out(`${did} ${plural(result.contexts, 'context')} that no kept event refers to${contextsNote}`);
  out(result.dryRun
    ? 'Nothing was deleted: run again with --yes to delete them (recorded in the maintenance log).'
    : result.maintenanceLogId === null ? 'Nothing to delete: nothing was changed or logged.' : `Recorded in the maintenance log (id ${result.maintenanceLogId}).`);
}
