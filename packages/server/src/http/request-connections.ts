import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import pg from 'pg';
import { sendCancelRequest } from '../database/cancel-request.js';

/** The client of a request went away before its answer was ready: nothing is answered, nothing logged. */
export class RequestAbortedError extends Error {
  override name = 'RequestAbortedError';
  constructor() {
    super('Rowtrail: the client closed the request before its answer was ready');
  }
}

/**
 * The connections one API request holds, given up when its client goes: a request still waiting for a connection
 * stops waiting (the connection, when it comes, goes straight back), and a statement running for it is cancelled.
 * Without this, a client that gave up left its statement running, and queued ones still waited their turn: 40
 * abandoned slow requests kept the pool busy long after, and a real one got 503.
 */
class RequestConnections {
  private readonly held = new Set<pg.PoolClient>();
  private ended = false;

  constructor(private readonly pool: pg.Pool, readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.cancelAll(), { once: true });
  }

  /** The request answered: queries that still run in its async context (a stream read later) go to the pool as usual. */
  end(): void {
    this.ended = true;
  }

  get active(): boolean {
    return !this.ended;
  }

  async connect(): Promise<pg.PoolClient> {
    if (this.signal.aborted) throw new RequestAbortedError();
    const connecting = this.pool.connect();
    const client = await new Promise<pg.PoolClient>((resolve, reject) => {
      const onAbort = () => reject(new RequestAbortedError());
      this.signal.addEventListener('abort', onAbort, { once: true });
      connecting.then((taken) => {
        this.signal.removeEventListener('abort', onAbort);
        if (this.signal.aborted) taken.release(); // never used: back to the pool, for the next in line
        else resolve(taken);
      }, (error: unknown) => {
        this.signal.removeEventListener('abort', onAbort);
        reject(error);
      });
    });
    this.held.add(client);
    const release = client.release;
    client.release = (error?: Error | boolean) => {
      this.held.delete(client);
      client.release = release;
      // closed rather than pooled again once cancelled: a cancel still on its way must not reach the next user
      return release.call(client, error ?? (this.signal.aborted ? new RequestAbortedError() : undefined));
    };
    return client;
  }

  async query(args: unknown[]): Promise<pg.QueryResult> {
    const client = await this.connect();
    try {
      const result = await (client.query as (...a: unknown[]) => Promise<pg.QueryResult>)(...args);
      client.release();
      return result;
    } catch (error) {
      client.release(error as Error); // as pg.Pool#query does: the connection's state is unknown
      throw error;
    }
  }

  /**
   * Cancels what the request's connections run, with PostgreSQL's cancel request (the pool's connections may all be
   * busy, with this request's statements among them). A connection between statements has nothing to cancel; it is
   * closed at release.
   */
  private cancelAll(): void {
    for (const client of this.held) sendCancelRequest(this.pool.options, client);
  }
}

const current = new AsyncLocalStorage<RequestConnections>();

/**
 * A pool whose queries and connections, when made for an API request (inside forRequest), are that request's: given
 * up when its client goes. One per API handler, so that the query API's per-pool caches (the registry) still apply.
 */
export function requestBoundPool(pool: pg.Pool): pg.Pool {
  const bound = Object.create(pool) as pg.Pool;
  bound.query = ((...args: unknown[]) => {
    const request = current.getStore();
    if (!request?.active || typeof args[args.length - 1] === 'function') return (pool.query as (...a: unknown[]) => unknown)(...args);
    return request.query(args);
  }) as pg.Pool['query'];
  bound.connect = ((...args: unknown[]) => {
    const request = current.getStore();
    if (!request?.active || args.length > 0) return (pool.connect as (...a: unknown[]) => unknown)(...args);
    return request.connect();
  }) as pg.Pool['connect'];
  return bound;
}

/**
 * Runs an API request's work with its connections bound to it (see requestBoundPool), given up when its client goes:
 * when the connection of the request closes before the work is done. `pool` is the pool whose connection settings the
 * cancel uses.
 */
export async function forRequest<T>(request: IncomingMessage, pool: pg.Pool, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  // the socket, not the request: a request's own 'close' also comes once its (empty) body has been read
  const socket = request.socket as IncomingMessage['socket'] | undefined;
  const gone = () => controller.abort();
  if (socket?.destroyed) controller.abort();
  else socket?.once('close', gone);
  const connections = new RequestConnections(pool, controller.signal);
  try {
    return await current.run(connections, () => work(controller.signal));
  } catch (error) {
    // a cancelled statement's error, or any other once the client is gone: there is no one to tell
    if (controller.signal.aborted) throw new RequestAbortedError();
    throw error;
  } finally {
    connections.end();
    socket?.removeListener('close', gone);
  }
}
