import { randomBytes } from 'node:crypto';
import { collect } from '../repeatable-option.js';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { prepareExport } from '../../export/diff-export.js';
import type { ExportEncoding, ExportSelection } from '../../export/export-format.js';
import type { EventFilter } from '../../query/event-filter.js';
import type { Operation } from '../../query/event-types.js';
import { DuplicateJsonKeyError, parseJsonInput } from '../../query/exact-json.js';
import { RowtrailQueryError } from '../../query/query-errors.js';
import { givenOnce, once } from '../once-option.js';
import { numberFlag } from '../number-flag.js';
import { requireInstalled, withPool } from './command-database.js';
import { removeOnInterrupt } from './interrupt-cleanup.js';
import { partialKeyAsFilter } from './partial-key-selection.js';
import { syncDirectory, syncFile, WatermarkFile } from './watermark-file.js';

interface ExportFlags {
  table?: string[];
  key?: string;
  context?: string;
  user?: string;
  requestId?: string;
  dbUser?: string;
  operation?: string[];
  meta?: string[];
  changed?: string[];
  from?: string;
  to?: string;
  after?: string;
  watermarkFile?: string;
  format: ExportEncoding;
  out?: string;
  batchSize: string;
}

/** `rowtrail export`: a record, a request or a filter, as JSON or NDJSON, to stdout or a file. */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('export diffs in the rowtrail.diff-export format (see docs/export-format.md)')
    .option('--table <table>', 'tracked table ("schema.table"); repeatable for filters', collect)
    .option('--key <json>', 'primary key of one record, e.g. \'{"id":5}\' (with one --table); some of a composite key\'s columns export every record that has them', once('--key'))
    .option('--context <uuid>', 'everything one request (context) changed', once('--context'))
    .option('--user <user>', 'filter: context user', once('--user'))
    .option('--request-id <id>', 'filter: context request id', once('--request-id'))
    .option('--db-user <name>', 'filter: database user of writes made without application context (psql, migrations)', once('--db-user'))
    .option('--operation <op>', 'filter: INSERT, UPDATE or DELETE; repeatable', collect)
    .option('--meta <key=value>', 'filter: any context metadata key; repeatable', collect)
    .option('--changed <column>', 'filter: only updates that changed this column of the one --table; repeatable', collect)
    .option('--from <time>', 'filter: events at or after (ISO 8601)', once('--from'))
    .option('--to <time>', 'filter: events before (ISO 8601)', once('--to'))
    .option('--after <watermark>', 'filter: events committed after the export whose header has this "watermark"', once('--after'))
    .option('--watermark-file <file>', 'chained exports: export what committed after the watermark in <file> (everything when there is no file yet), then, once the whole export is written, store its watermark there', once('--watermark-file'))
    .addOption(givenOnce(new Option('--format <format>', 'output format').choices(['json', 'ndjson']).default('json')))
    .option('--out <file>', 'write to a file (with a progress bar on stderr) instead of stdout', once('--out'))
    .option('--batch-size <n>', 'rows fetched per round trip', once('--batch-size'), '1000')
    .action(async (flags: ExportFlags, command: Command) => {
      const batchSize = numberFlag('--batch-size', flags.batchSize, 1, 100_000, 'an integer from 1 to 100000');
      if (flags.watermarkFile !== undefined) {
        if (flags.after !== undefined) throw new Error('--after and --watermark-file both give the watermark: use one');
        // the watermark moves on only once the export is safely in its file: a pipe cannot tell whether its reader kept it all
        if (flags.out === undefined) throw new Error('--watermark-file needs --out: the watermark is stored only once the whole export is in its file');
      }
      exportSelection(flags); // bad flags fail before the chain's lock is taken
      if (flags.out !== undefined) await requireFileTarget(flags.out);
      const chain = flags.watermarkFile === undefined ? undefined : await WatermarkFile.open(flags.watermarkFile);
      try {
        const chained = chain ? { ...flags, after: chain.watermark } : flags;
        await exportTo(command, chained, exportSelection(chained), batchSize, chain);
      } finally {
        await chain?.release();
      }
    });
}

/** A failure to create or write the --out file, in the flag's terms (not the name of the hidden .partial file beside it). */
function outFileError(error: unknown, out: string, partial: string): unknown {
  const failure = error as NodeJS.ErrnoException;
  if (failure.path !== partial) return error;
  const directory = path.dirname(path.resolve(out));
  const why = failure.code === 'ENOENT' ? `the directory ${directory} does not exist`
    : failure.code === 'EACCES' || failure.code === 'EPERM' ? `no permission to create a file in ${directory}`
    : failure.code === 'ENOSPC' ? `no space left on the device of ${directory}`
    : failure.code === 'EISDIR' ? `${out} is a directory` // made while the export ran
    : `${failure.code ?? 'error'}: ${failure.message.replace(partial, out)}`;
  return new Error(`--out ${out}: cannot write the export: ${why}`, { cause: error });
}

/** An --out that names a directory is refused before the export runs: the finished file could not take its name. */
async function requireFileTarget(out: string): Promise<void> {
  // no such file is the usual case; a missing directory or one it may not write to is reported when writing
  const existing = await stat(out).catch(() => undefined);
  if (existing?.isDirectory()) throw new Error(`--out ${out}: is a directory: give the name of the file to write`);
}

/** Runs the export of `selection` to stdout or --out; with a watermark chain, stores the export's watermark once it is on disk. */
async function exportTo(command: Command, flags: ExportFlags, selection: ExportSelection, batchSize: number, chain?: WatermarkFile): Promise<void> {
  await withPool(command, async (pool, { schema }) => {
    await requireInstalled(pool, schema);
    const bar = flags.out ? new cliProgress.SingleBar({ stream: process.stderr, format: 'exporting [{bar}] {percentage}% | {value}/{total} diffs | {eta_formatted} left' }, cliProgress.Presets.shades_classic) : undefined;
    let prepared;
    let exported = 0;
    // A file of only the header and end looks like a successful export: say when nothing matched (a mistyped key, say).
    const noteEmpty = () => { if (exported === 0) process.stderr.write('rowtrail: no events matched the selection: the export holds its header and end only\n'); };
    try {
      prepared = await prepareExport(pool, await partialKeyAsFilter(pool, schema, selection), { schema, batchSize, onProgress: (written) => { exported = written; bar?.update(written); } });
    } catch (error) {
      if (error instanceof RowtrailQueryError) throw new Error(flagMessage(error, flags.watermarkFile));
      throw error;
    }
    const stream = await prepared.open(flags.format);
    if (!flags.out) {
      // A reader that stops early (`| head`) ends the export quietly.
      let closed = false;
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
        closed = true;
        process.stdout.emit('drain');
      });
      for await (const chunk of stream) {
        if (closed) break;
        if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve)); // an EPIPE emits 'drain' too
      }
      if (!closed) noteEmpty();
      return;
    }
    try {
      bar?.start(await prepared.count(), 0);
    } catch (error) {
      stream.destroy(); // gives its connection back: the pool could not end
      throw error;
    }
    // A name of this run's own, created exclusively: two exports to one --out each write a whole file (the
    // last rename wins) instead of interleaving their events in one shared .partial file.
    const partial = `${flags.out}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
    const forgetPartial = removeOnInterrupt(partial);
    try {
      await pipeline(stream, createWriteStream(partial, { flags: 'wx' }));
      // on disk before its name, and its name before the chain's watermark moves past its events
      await syncFile(partial);
      await rename(partial, flags.out);
      await syncDirectory(path.dirname(path.resolve(flags.out)));
      await chain?.store(stream.watermark);
    } catch (error) {
      await rm(partial, { force: true });
      throw outFileError(error, flags.out, partial);
    } finally {
      forgetPartial();
      bar?.stop();
    }
    noteEmpty();
    process.stderr.write(`wrote ${flags.out}\n`);
  });
}

/** The other parameters a query error about a parameter may name in its text. */
const MENTIONS: Record<string, string[]> = { from: ['to'], changed: ['table'], recordKey: ['table'] };

/** Names the CLI flag rather than the HTTP parameter in a query error (the watermark file when it gave "after"). */
function flagMessage(error: RowtrailQueryError, watermarkFile?: string): string {
  const flags: Record<string, string> = {
    table: '--table', key: '--key', contextId: '--context', recordKey: '--key', requestId: '--request-id', dbUser: '--db-user', changed: '--changed',
    after: watermarkFile === undefined ? '--after' : `--watermark-file ${watermarkFile}`,
  };
  const [name, ...inside] = error.parameter?.split('.') ?? [];
  // a key column's error (key.tag_id) names the column after the flag: "--key (tag_id): …"
  const flag = !error.parameter ? undefined : flags[name] === undefined ? `--${error.parameter}` : `${flags[name]}${inside.length > 0 ? ` (${inside.join('.')})` : ''}`;
  // the text after the parameter's name may name it, or the other end of a time range, as the HTTP API calls them
  // ("export without "after"", "must not be after "to"")
  const mentioned = error.parameter ? [error.parameter, ...(MENTIONS[error.parameter] ?? [])] : [];
  const message = flag && error.parameter
    ? `${flag}: ${mentioned.reduce((text, name) => text.replaceAll(`"${name}"`, flags[name] ?? `--${name}`), error.message.slice(error.parameter.length + 2))}`
    : error.message;
  return watermarkFile !== undefined && error.parameter === 'after' && /ahead of this database/.test(message)
    ? `${message} (for this chain: remove ${watermarkFile})` : message;
}

function exportSelection(flags: ExportFlags): ExportSelection {
  const filter: EventFilter = {
    tables: flags.table, user: flags.user, requestId: flags.requestId, dbUser: flags.dbUser, from: flags.from, to: flags.to, after: flags.after,
    operations: flags.operation?.map((op) => op.toUpperCase() as Operation),
    changed: flags.changed,
    metadata: flags.meta ? Object.fromEntries(flags.meta.map((pair, i, pairs) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`--meta must look like key=value, got ${JSON.stringify(pair)}`);
      const key = pair.slice(0, eq);
      // one value per key, as the filter holds (the later one would silently win)
      if (pairs.some((other, j) => j < i && other.startsWith(`${key}=`))) throw new Error(`--meta ${key} was given more than once: give each key once`);
      return [key, pair.slice(eq + 1)];
    })) : undefined,
  };
  const filters = Object.entries(filter).filter(([name, value]) => name !== 'tables' && value !== undefined).map(([name]) => name);
  if (flags.key !== undefined) {
    if (flags.table?.length !== 1) throw new Error('--key needs exactly one --table');
    let key: unknown;
    try {
      key = parseJsonInput(flags.key); // a big numeric key keeps its digits; a key given twice is refused
    } catch (error) {
      if (error instanceof DuplicateJsonKeyError) throw new Error(`--key ${error.message}: give each column once`);
      throw new Error(`--key must be a JSON object such as '{"id":5}', got ${flags.key}`);
    }
    // with filter flags (a user, a time range, a watermark) the record's, or records', events are a filter's
    if (filters.length > 0 || flags.context) return { kind: 'filter', filter: { ...filter, contextId: flags.context, recordKey: key as Record<string, unknown> } };
    return { kind: 'record', table: flags.table[0], key: key as Record<string, unknown> };
  }
  if (flags.context !== undefined) {
    if (filters.length || flags.table) return { kind: 'filter', filter: { ...filter, contextId: flags.context } };
    return { kind: 'context', contextId: flags.context };
  }
  return { kind: 'filter', filter };
}
