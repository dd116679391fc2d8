import { Readable } from 'node:stream';
import type pg from 'pg';
import Cursor from 'pg-cursor';
import { filterConditions, requireUuid, whereClause } from '../query/event-filter.js';
import { eventFrom, SqlParams } from '../query/event-sql.js';
import { rawJson, stringifyJson } from '../query/exact-json.js';
import { recordKeyJson } from '../query/record-key.js';
import { castFilterKey, castRecordKey } from '../query/record-key-cast.js';
import { diffRecordCondition } from '../query/record-match.js';
import { loadRegistry, requireTable, schemaOf, type QueryOptions } from '../query/tracked-table-registry.js';
import { requireReachedWatermark } from '../query/watermark.js';
import { ExportLease } from './export-lease.js';
import { exportReadRelations, requireReadable } from './export-privileges.js';
import { requireExportEncoding, requireExportSelection } from './export-selection-shape.js';
import { exportQuery, type ExportQuery, type TableRange } from './export-query.js';
import { EXPORT_FORMAT, EXPORT_VERSION, exportFileName, type ExportEncoding, type ExportHeader, type ExportSelection } from './export-format.js';

export interface ExportOptions extends QueryOptions {
  /**
   * Most rows fetched per round trip from the server-side cursor. Default 1000. Large events make batches smaller
   * (see BATCH_CHARS), and the first read takes at most FIRST_BATCH rows.
   */
  batchSize?: number;
  /** Called after each batch with the number of events written so far. */
  onProgress?: (written: number) => void;
  /** Pool the export's long-lived connection comes from (default: the pool given to prepareExport). */
  streamPool?: pg.Pool;
}

export interface PreparedExport {
  /** Suggested download file name for an encoding. */
  fileName(encoding: ExportEncoding): string;
  /** Number of events the export will hold (an extra count query; for progress bars). */
  count(): Promise<number>;
  /**
   * The export as a byte stream (Readable, also async-iterable), read from a server-side cursor batch by batch.
   * The connection is taken from the pool when reading starts; see open() to take it first.
   */
  stream(encoding: ExportEncoding): Readable;
  /**
   * Takes the export's connection and starts its snapshot first, then returns the stream: a full pool
   * fails here (before any byte is written) rather than mid-download. The connection goes back to the
   * pool when the stream ends, fails or is destroyed; destroy the stream if you do not read it.
   * The stream's `watermark` is its header's: once the whole export is read, the `after` of the next one.
   */
  open(encoding: ExportEncoding): Promise<ExportStream>;
}

/** An export's byte stream whose snapshot has started: its watermark is known before any byte is read. */
export type ExportStream = Readable & { readonly watermark: string };

/**
 * Validates a selection (unknown tables, bad keys or filters throw before any
 * byte is written) and prepares its export. Events come oldest first.
 */
export async function prepareExport(pool: pg.Pool, selection: ExportSelection, options: ExportOptions = {}): Promise<PreparedExport> {
  const schema = schemaOf(options);
  requireExportSelection(selection);
  const registry = await loadRegistry(pool, options, selection.kind === 'record' ? [selection.table] : selection.kind === 'filter' ? selection.filter.tables ?? [] : []);
  const params = new SqlParams();
  let where: string[];
  let headerSelection: unknown = selection;
  if (selection.kind === 'record') {
    const table = requireTable(registry, selection.table);
    selection = { ...selection, table: table.table }; // as registered: "schema.table"
    // values of types PostgreSQL reads (an inet) as it reads them: compared, and written in the header, as their type
    const key = await castRecordKey(pool, schema, table, selection.key);
    where = [diffRecordCondition(schema, table, key, params)];
    // the key as the events' recordKey carries it: exact numbers (a big bigint parsed as a string of digits is
    // written as the number again), "007" as 7, key columns in primary-key order
    headerSelection = { ...selection, key: rawJson(recordKeyJson(table, key)) };
  } else if (selection.kind === 'context') {
    where = [`d.context_id = ${params.add(requireUuid(selection.contextId, 'contextId'), '::uuid')}`];
  } else {
    const filter = await castFilterKey(pool, schema, registry, selection.filter);
    where = filterConditions(filter, registry, params, schema);
    await requireReachedWatermark(pool, selection.filter.after);
    const { recordKey, tables } = filter;
    if (recordKey !== undefined && tables?.length === 1) {
      // written as a record's key is: exact numbers (a bigint, or a digit string parse() made of a big number), not JSON.stringify's
      const keyJson = recordKeyJson(requireTable(registry, tables[0], 'table'), recordKey, 'recordKey', { partial: true });
      headerSelection = { ...selection, filter: { ...selection.filter, recordKey: rawJson(keyJson) } };
    }
  }
  const from = `FROM ${eventFrom(schema)} ${whereClause(where)}`;
  const batchSize = options.batchSize ?? 1000;
  const streamPool = options.streamPool ?? pool;
  const query = exportQuery(schema, selection, where, params.values.length);
  // checked now, on the pool that validated the selection (an export link is refused before it is given out), and
  // again by open() on the export's own connection when it comes from another pool (its role may differ)
  const readRelations = exportReadRelations(schema, registry, selection, query.ranges !== undefined);
  await requireReadable(pool, readRelations);
  const header = (watermark: string): string => stringifyJson({
    format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: new Date().toISOString(), selection: headerSelection, watermark,
  } satisfies Record<keyof ExportHeader, unknown>);
  const run = (encoding: ExportEncoding, lease = new ExportLease(streamPool, pool)) => {
    const stream = Readable.from(exportChunks(lease, query, params.values, header, encoding, batchSize, options.onProgress), { objectMode: false });
    // Destroyed (say, the client went away): a batch the server is still building would otherwise hold the
    // connection, and the download's slot, until it is done; the first one may sort every matching id or find a range's bounds.
    const destroyGenerator = stream._destroy.bind(stream);
    stream._destroy = (error, callback) => {
      lease.interrupt();
      destroyGenerator(error, callback);
    };
    stream.once('close', () => lease.abandon()); // destroyed before the first read: the generator never ran
    return stream;
  };
  return {
    fileName: (encoding) => exportFileName(selection, requireExportEncoding(encoding)),
    count: async () => (await pool.query<{ n: number }>(`SELECT count(*)::float8 AS n ${from}`, params.values)).rows[0].n,
    stream: (encoding) => run(requireExportEncoding(encoding)),
    open: async (encoding) => {
      requireExportEncoding(encoding);
      const lease = new ExportLease(streamPool, pool);
      const { client, watermark } = await lease.connect();
      try {
        if (streamPool !== pool) await lease.guard(requireReadable(client, readRelations));
      } catch (error) {
        await lease.release(); // rolled back, the connection back in the pool
        throw error;
      }
      return Object.assign(run(encoding, lease), { watermark });
    },
  };
}

/** Characters per yielded chunk (about 16 KiB): see exportChunks. */
const CHUNK_CHARS = 16_384;
/**
 * About how many characters of events one read from the cursor should bring. A read holds its rows in memory whole,
 * and the next one is prefetched meanwhile: 1000 events of a few MB each (a table of documents) took gigabytes and
 * could end the process, so after each batch the next read asks for as many rows as fit this budget at the size of
 * the largest event just read (never more than batchSize, at least one).
 */
export const BATCH_CHARS = 8 * 1024 * 1024;
/** Rows of the first read, before any event's size is known. */
export const FIRST_BATCH = 16;

/** Rows to ask for next, given the batch just read. */
function nextBatchSize(rows: Array<{ event: string }>, batchSize: number): number {
  let longest = 1;
  for (const { event } of rows) longest = Math.max(longest, event.length);
  return Math.max(1, Math.min(batchSize, Math.floor(BATCH_CHARS / longest)));
}

async function* exportChunks(
  lease: ExportLease, query: ExportQuery, values: unknown[], header: (watermark: string) => string, encoding: ExportEncoding, batchSize: number, onProgress?: (written: number) => void,
): AsyncGenerator<string> {
  let failed: Error | undefined;
  let committed = false;
  try {
    const { client, watermark } = await lease.take(); // inside: a connection lost before the first read is released too
    const headerJson = header(watermark);
    yield encoding === 'json' ? `${headerJson.slice(0, -1)},"events":[` : `${headerJson}\n`;
    const ranges = query.ranges === undefined ? [] : (await lease.guard(client.query<TableRange>(query.ranges, values))).rows;
    const events = query.events(ranges); // none when no table has events in the range
    if (events?.before !== undefined) await lease.guard(client.query(events.before));
    const eventCount = events ? yield* readEvents(lease, client, events.text, [...values, ...events.values], encoding, batchSize, onProgress) : 0;
    if (lease.connectionLost) throw lease.connectionLost;
    await client.query('COMMIT');
    committed = true;
    // only a whole export ends so (ExportEnd): one cut short lacks it, even where it ends on a whole line
    const end = JSON.stringify({ eventCount });
    yield encoding === 'json' ? `\n],"end":${end}}\n` : `{"end":${end}}\n`;
  } catch (error) {
    failed = error as Error;
    throw error;
  } finally {
    // The reader stopped early: end the transaction before the connection goes back.
    await lease.release(failed, committed);
  }
}

/** The events of the export's query as chunks of the encoding, read from a server-side cursor batch by batch. */
async function* readEvents(
  lease: ExportLease, client: pg.PoolClient, text: string, values: unknown[], encoding: ExportEncoding, batchSize: number, onProgress?: (written: number) => void,
): AsyncGenerator<string, number> {
  const cursor = client.query(new Cursor<{ event: string }>(text, values));
  let written = 0;
  // The next batch is requested before this one is written out, so the server builds it while Node
  // encodes and the reader consumes this one (the two overlap instead of taking turns).
  // A prefetched read that fails while the generator waits at a yield (a slow reader) must not be an
  // unhandled rejection, which would end the process: it is handled here and rethrown by the await below.
  // A read also fails when the connection is lost (lease.guard), rather than waiting for rows that will never come.
  // Each read's size follows the size of the events read before it (see BATCH_CHARS); fewer rows than asked for
  // means the cursor is at its end.
  let asked = Math.min(batchSize, FIRST_BATCH);
  const prefetch = (size: number): Promise<Array<{ event: string }>> => {
    asked = size;
    const read = lease.guard(cursor.read(size));
    read.catch(() => undefined);
    return read;
  };
  let next: Promise<Array<{ event: string }>> | undefined = prefetch(asked);
  try {
    for (;;) {
      const rows: Array<{ event: string }> = await next;
      next = rows.length < asked ? undefined : prefetch(nextBatchSize(rows, batchSize));
      if (rows.length === 0) break;
      // Small chunks rather than one string per batch: they stay in V8's young generation and are freed
      // by the next scavenge, while a batch-sized string (and its Buffer) would pile up until a full GC.
      let chunk = '';
      for (const { event } of rows) {
        chunk += encoding === 'json' ? `${written === 0 ? '\n' : ',\n'}${event}` : `${event}\n`;
        written++;
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk.length > 0) yield chunk;
      onProgress?.(written);
      if (!next) break;
    }
    return written;
  } finally {
    await next?.catch(() => undefined); // a read still in flight (the reader stopped early) ends before the cursor closes
    // closing waits for the server's answer, which a lost connection never sends
    if (!lease.connectionLost) await lease.guard(cursor.close()).catch(() => undefined);
  }
}
