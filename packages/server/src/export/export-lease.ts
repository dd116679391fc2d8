import type pg from 'pg';
import { sendCancelRequest } from '../database/cancel-request.js';
import { CURRENT_WATERMARK_SQL } from '../query/watermark.js';

/** The export's connection and the watermark of its snapshot (see watermark.ts). */
interface Snapshot {
  client: pg.PoolClient;
  watermark: string;
}

/** A connection in a REPEATABLE READ READ ONLY transaction: one snapshot for the whole export, however long it streams. */
async function beginSnapshot(pool: pg.Pool, onError: (error: Error) => void): Promise<Snapshot> {
  const client = await pool.connect();
  client.on('error', onError); // from the start: the connection may be lost during these statements too
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // The statement takes the snapshot, and names it for the header's watermark. Both settings for this transaction
    // only, in the same round trip:
    // - cursor_tuple_fraction = 1: the export reads its cursor to the end, so plan for the whole result, not
    //   its first tenth (the default plan for a time range walked the primary key from the first event ever
    //   written to the last).
    // - work_mem of at least 64 MB: an export other than a time range sorts the matching event ids (narrow rows)
    //   before it reads the events (see export-query.ts). With PostgreSQL's default 4 MB a sort of 1M ids spilled
    //   to disk, and the planner chose instead to walk the table's whole event index in order, reading 10M history
    //   rows to keep 1M (8.9 s of server time instead of 6.1 s). At most maxConcurrentExports at once; never lowered.
    // - jit off: planned for the whole result, with sorts switched off (export-query.ts), an export's estimated cost
    //   passes jit_above_cost even for a few events, and compiling its query took 0.2 to 0.5 s before the first
    //   event, which cannot be interrupted: an aborted download kept its export slot until the compilation ended.
    //   An export's work per row is building JSON in functions JIT does not compile, so it gains nothing there.
    const { rows } = await client.query<{ watermark: string }>(`SELECT ${CURRENT_WATERMARK_SQL} AS watermark, set_config('cursor_tuple_fraction', '1', true),
      set_config('work_mem', CASE WHEN pg_size_bytes(current_setting('work_mem')) < 64 * 1024 * 1024 THEN '64MB' ELSE current_setting('work_mem') END, true),
      set_config('jit', 'off', true)`);
    return { client, watermark: rows[0].watermark };
  } catch (error) {
    client.release(error as Error); // closed, keeping the listener for what its dying socket still reports
    throw error;
  }
}

/**
 * The export's connection: taken at open() or at the first read, given back exactly once.
 *
 * While leased, a pooled client has no "error" listener of the pool's, and node-pg emits "error" on it when
 * its connection is lost (terminated by an administrator, a failover, idle_in_transaction_session_timeout on
 * a slow download): unheard, that event would end the process. The lease listens instead, and `lost`
 * settles with the error, so the export fails (the download is cut short) rather than the server.
 */
export class ExportLease {
  private started = false;
  private released = false;
  private interrupted = false;
  private lostError?: Error;
  private client?: pg.PoolClient;
  private connecting?: Promise<Snapshot>;
  /** The rejections of the guarded operations in flight (see guard). */
  private readonly waiting = new Set<(error: Error) => void>();
  private readonly onClientError = (error: Error): void => {
    if (this.lostError) return;
    this.lostError = new Error(`Rowtrail: the export's database connection was lost: ${error.message}`, { cause: error });
    for (const reject of this.waiting) reject(this.lostError);
    this.waiting.clear();
  };

  constructor(private readonly pool: pg.Pool, private readonly cancelPool: pg.Pool) {}

  /**
   * The operation's result, or a rejection as soon as the connection is lost (a read on a dead connection would
   * wait for an answer that never comes). Not Promise.race with one long-lived "lost" promise: every race leaves
   * a reaction on it that keeps its result alive, so an export of 1M diffs kept every batch (916 MB).
   */
  guard<T>(operation: Promise<T>): Promise<T> {
    if (this.lostError) {
      operation.catch(() => undefined);
      return Promise.reject(this.lostError);
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.add(reject);
      operation.then(
        (value) => { this.waiting.delete(reject); resolve(value); },
        (error: unknown) => { this.waiting.delete(reject); reject(error); },
      );
    });
  }

  /** The error the connection was lost with, if it was. */
  get connectionLost(): Error | undefined {
    return this.lostError;
  }

  /**
   * Takes the connection and starts the export's snapshot, once: prepareExport's open() calls it before the
   * answer starts (a full pool fails there, before any byte), the first read otherwise.
   */
  connect(): Promise<Snapshot> {
    this.connecting ??= beginSnapshot(this.pool, this.onClientError).then((snapshot) => {
      this.client = snapshot.client;
      return snapshot;
    });
    return this.connecting;
  }

  /** The connection and its snapshot's watermark, for the reads: fails when the connection was lost meanwhile. */
  async take(): Promise<Snapshot> {
    this.started = true;
    const snapshot = await this.connect();
    if (this.lostError) throw this.lostError;
    return snapshot;
  }

  /** Ends the transaction (rolled back unless committed) and returns the connection. */
  async release(failed?: Error, committed = false): Promise<void> {
    if (this.released || !this.client) return;
    this.released = true;
    // Closed rather than pooled again: a failed or lost connection, and an interrupted lease's (a cancel still
    // on its way must not reach another user of it). A closed client keeps this listener for whatever its dying
    // socket still reports; a healthy one goes back to the pool, which listens again.
    const error = failed ?? this.lostError ?? (this.interrupted ? new Error('Rowtrail: export interrupted') : undefined);
    if (!error && !committed) await this.client.query('ROLLBACK').catch(() => undefined);
    const closing = error ?? this.lostError; // lost during the ROLLBACK too
    if (!closing) this.client.removeListener('error', this.onClientError);
    this.client.release(closing);
  }

  /** Cancels the statement the connection may be running for a read in flight (it then fails, and release() follows). */
  interrupt(): void {
    const pid = (this.client as { processID?: number } | undefined)?.processID;
    if (!this.started || this.released || !pid) return;
    this.interrupted = true;
    // PostgreSQL's cancel request, on a connection of its own (this one is busy), with the pool's settings
    sendCancelRequest(this.cancelPool.options, this.client!);
  }

  /** The stream closed: gives back a connection taken by open() that no read ever used. */
  abandon(): void {
    if (!this.started) void this.release();
  }
}
