import { Readable } from 'node:stream';
import type pg from 'pg';
import Cursor from 'pg-cursor';
import { filterConditions, requireUuid, whereClause } from '../query/event-filter.js';
import { DIFF_EVENT_JSON, eventFrom, eventsNamedBy, eventView, SqlParams } from '../query/event-sql.js';
import { diffRecordCondition } from '../query/record-match.js';
import { loadRegistry, requireTable, schemaOf, type QueryOptions } from '../query/tracked-table-registry.js';
import { EXPORT_FORMAT, EXPORT_VERSION, exportFileName, type ExportEncoding, type ExportHeader, type ExportSelection } from './export-format.js';

export interface ExportOptions extends QueryOptions {
  /** Rows fetched per round trip from the server-side cursor. Default 1000. */
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
   */
  open(encoding: ExportEncoding): Promise<Readable>;
}

/**
 * Validates a selection (unknown tables, bad keys or filters throw before any
 * byte is written) and prepares its export. Events come oldest first.
 */
export async function prepareExport(pool: pg.Pool, selection: ExportSelection, options: ExportOptions = {}): Promise<PreparedExport> {
  const schema = schemaOf(options);
  const registry = await loadRegistry(pool, options, selection.kind === 'record' ? [selection.table] : selection.kind === 'filter' ? selection.filter.tables ?? [] : []);
  const params = new SqlParams();
  let where: string[];
  if (selection.kind === 'record') {
    const table = requireTable(registry, selection.table);
    selection = { ...selection, table: table.table }; // as registered: "schema.table"
    where = [diffRecordCondition(schema, table, selection.key, params)];
  } else if (selection.kind === 'context') {
    where = [`d.context_id = ${params.add(requireUuid(selection.contextId, 'contextId'), '::uuid')}`];
  } else {
    where = filterConditions(selection.filter, registry, params, schema);
  }
  const from = `FROM ${eventFrom(schema)} ${whereClause(where)}`;
  const batchSize = options.batchSize ?? 1000;
  const streamPool = options.streamPool ?? pool;
  // The matching event ids first, in order (a narrow sort when a time range is read through the BRIN
  // indexes), then each event from its history table by event id: events are never sorted or materialised whole.
  const ids = `SELECT d.table_name, d.event_id FROM ${eventView(schema)} d ${whereClause(where)} ORDER BY d.event_id`;
  const text = `SELECT ${DIFF_EVENT_JSON} AS event FROM ${eventsNamedBy(schema, ids)} ORDER BY o.event_id`;
  const header = (): ExportHeader => ({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: new Date().toISOString(), selection });
  const run = (encoding: ExportEncoding, opened?: pg.PoolClient) => {
    const lease = new ExportLease(streamPool, pool, opened);
    const stream = Readable.from(exportChunks(lease, text, params.values, header(), encoding, batchSize, options.onProgress), { objectMode: false });
    // Destroyed (say, the client went away): a batch the server is still building would otherwise hold the
    // connection, and the download's slot, until it is done; the first one sorts every matching id.
    const destroyGenerator = stream._destroy.bind(stream);
    stream._destroy = (error, callback) => {
      lease.interrupt();
      destroyGenerator(error, callback);
    };
    stream.once('close', () => lease.abandon()); // destroyed before the first read: the generator never ran
    return stream;
  };
  return {
    fileName: (encoding) => exportFileName(selection, encoding),
    count: async () => (await pool.query<{ n: number }>(`SELECT count(*)::float8 AS n ${from}`, params.values)).rows[0].n,
    stream: (encoding) => run(encoding),
    open: async (encoding) => run(encoding, await beginSnapshot(streamPool)),
  };
}

/** A connection in a REPEATABLE READ READ ONLY transaction: one snapshot for the whole export, however long it streams. */
async function beginSnapshot(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // Both for this transaction only, in one round trip:
    // - cursor_tuple_fraction = 1: the export reads its cursor to the end, so plan for the whole result, not
    //   its first tenth (the default plan for a time range walked the primary key from the first event ever
    //   written to the last).
    // - work_mem of at least 64 MB: the export sorts the matching event ids (narrow rows) before it reads the
    //   events. With PostgreSQL's default 4 MB that sort of a 1M-event time range spilled to disk, and the
    //   planner chose instead to walk the table's whole event index in order, reading 10M history rows to keep
    //   1M (8.9 s of server time instead of 6.1 s). At most maxConcurrentExports at once; never lowered.
    await client.query(`SELECT set_config('cursor_tuple_fraction', '1', true),
      set_config('work_mem', CASE WHEN pg_size_bytes(current_setting('work_mem')) < 64 * 1024 * 1024 THEN '64MB' ELSE current_setting('work_mem') END, true)`);
    return client;
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
}

/** The export's connection: taken at open() or at the first read, given back exactly once. */
class ExportLease {
  private started = false;
  private released = false;
  private interrupted = false;
  constructor(private readonly pool: pg.Pool, private readonly cancelPool: pg.Pool, private client?: pg.PoolClient) {}

  async take(): Promise<pg.PoolClient> {
    this.started = true;
    this.client ??= await beginSnapshot(this.pool);
    return this.client;
  }

  /** Ends the transaction (rolled back unless committed) and returns the connection. */
  async release(failed?: Error, committed = false): Promise<void> {
    if (this.released || !this.client) return;
    this.released = true;
    if (!failed && !committed) await this.client.query('ROLLBACK').catch(() => undefined);
    // an interrupted lease's connection is closed, not pooled: a cancel still on its way must not reach another user of it
    this.client.release(failed ?? (this.interrupted ? new Error('Rowtrail: export interrupted') : undefined));
  }

  /** Cancels the statement the connection may be running for a read in flight (it then fails, and release() follows). */
  interrupt(): void {
    const pid = (this.client as { processID?: number } | undefined)?.processID;
    if (!this.started || this.released || !pid) return;
    this.interrupted = true;
    // from another connection (this one is busy): at worst it waits for a free one, as the read would have
    this.cancelPool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
  }

  /** The stream closed: gives back a connection taken by open() that no read ever used. */
  abandon(): void {
    if (!this.started) void this.release();
  }
}

/** Characters per yielded chunk (about 16 KiB): see exportChunks. */
const CHUNK_CHARS = 16_384;

async function* exportChunks(
  lease: ExportLease, text: string, values: unknown[], header: ExportHeader, encoding: ExportEncoding, batchSize: number, onProgress?: (written: number) => void,
): AsyncGenerator<string> {
  const client = await lease.take();
  let failed: Error | undefined;
  let committed = false;
  try {
    const headerJson = JSON.stringify(header);
    yield encoding === 'json' ? `${headerJson.slice(0, -1)},"events":[` : `${headerJson}\n`;
    const cursor = client.query(new Cursor<{ event: string }>(text, values));
    let written = 0;
    // The next batch is requested before this one is written out, so the server builds it while Node
    // encodes and the reader consumes this one (the two overlap instead of taking turns).
    // A prefetched read that fails while the generator waits at a yield (a slow reader) must not be an
    // unhandled rejection, which would end the process: it is handled here and rethrown by the await below.
    const prefetch = (): Promise<Array<{ event: string }>> => {
      const read = cursor.read(batchSize);
      read.catch(() => undefined);
      return read;
    };
    let next: Promise<Array<{ event: string }>> | undefined = prefetch();
    try {
      for (;;) {
        const rows: Array<{ event: string }> = await next;
        next = rows.length < batchSize ? undefined : prefetch();
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
    } finally {
      await next?.catch(() => undefined); // a read still in flight (the reader stopped early) ends before the cursor closes
      await cursor.close().catch(() => undefined);
    }
    await client.query('COMMIT');
    committed = true;
    if (encoding === 'json') yield '\n]}\n';
  } catch (error) {
    failed = error as Error;
    throw error;
  } finally {
    // The reader stopped early: end the transaction before the connection goes back.
    await lease.release(failed, committed);
  }
}
