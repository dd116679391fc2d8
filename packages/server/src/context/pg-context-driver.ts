import { AsyncResource } from 'node:async_hooks';
import pg from 'pg';
import { currentContext } from './request-context.js';

export interface ContextDriverOptions {
  /** Maps a driver error to the error the application should see (protections use it). */
  mapError?: (error: unknown, queryText: string) => unknown;
}

type QueryConfigLike = { text?: unknown; name?: unknown; submit?: unknown; callback?: unknown; cursor?: { text?: unknown } };

/**
 * Prefixes a statement with the current context's comment. The context is read
 * here, synchronously in the caller's async scope: pg-pool's connect/acquire
 * callbacks run in whichever request released the connection last, so they
 * must never be used to read it (RowtrailPool binds its connect() callbacks,
 * pool.query()'s included, back to their caller's scope for that reason).
 */
function withContext(config: unknown): unknown {
  const context = currentContext();
  if (!context) return config;
  if (typeof config === 'string') return context.comment + config;
  if (config && typeof config === 'object') {
    const query = config as QueryConfigLike;
    // A named prepared statement must keep one text per name: it travels without context.
    if (query.name) return config;
    if (typeof query.submit === 'function') {
      // A Submittable is a one-off object, prefixed in place: a pg-cursor Cursor keeps its SQL in
      // .text, a pg-query-stream QueryStream in .cursor.text (it submits its cursor, and has no .text).
      if (typeof query.text === 'string') query.text = context.comment + query.text;
      else if (query.cursor && typeof query.cursor.text === 'string') query.cursor.text = context.comment + query.cursor.text;
      return query;
    }
    if (typeof query.text !== 'string') return config;
    return { ...query, text: context.comment + query.text };
  }
  return config;
}

/**
 * Builds a pg-compatible module whose clients carry the request context in
 * every statement and whose pool never hands out a connection in the middle of
 * a transaction. Nothing global is patched: only pools made from it are affected.
 */
export function createContextDriver(base: typeof pg = pg, options: ContextDriverOptions = {}): typeof pg {
  const wrapped = (base as unknown as { [WRAPPED]?: WrappedDriver })[WRAPPED];
  if (wrapped) {
    // Already a context driver (withRowtrail() applied twice): wrap its own base once, keeping both error
    // mappers (its own first). Wrapping the wrapper would lose this one's options: its Pool sets its own Client.
    const inner = wrapped.mapError;
    const outer = options.mapError;
    const mapError = inner && outer ? (error: unknown, queryText: string) => outer(inner(error, queryText), queryText) : inner ?? outer;
    return createContextDriver(wrapped.base, { ...options, mapError });
  }
  const mapError = options.mapError;

  class RowtrailClient extends base.Client {
    // pg's overloads are too wide to restate; the runtime contract is what matters here.
    override query(config: any, values?: any, callback?: any): any {
      const text = typeof config === 'string' ? config : config?.text;
      const prefixed = withContext(config);
      if (!mapError || typeof (prefixed as QueryConfigLike)?.submit === 'function') return (super.query as any)(prefixed, values, callback);
      if (typeof values === 'function' || typeof callback === 'function') {
        const cb = typeof values === 'function' ? values : callback;
        const args = typeof values === 'function' ? [prefixed] : [prefixed, values];
        return (super.query as any)(...args, mapCallback(cb, mapError, text));
      }
      const configCallback = (prefixed as QueryConfigLike)?.callback;
      if (typeof configCallback === 'function') {
        // client.query({ text, callback }): pg calls config.callback and returns nothing, like the argument form
        return (super.query as any)({ ...(prefixed as object), callback: mapCallback(configCallback as Callback, mapError, text) }, values);
      }
      return (super.query as any)(prefixed, values).catch((error: unknown) => {
        throw mapError(error, String(text));
      });
    }
  }

  class RowtrailPool extends base.Pool {
    constructor(config: pg.PoolConfig = {}) {
      super({ ...config, Client: RowtrailClient as unknown as typeof pg.Client });
    }

    override connect(callback?: any): any {
      if (typeof callback === 'function') {
        // pg-pool calls a waiter's callback from the scope of whoever released the connection: run it
        // in the caller's scope, so what it runs (pool.query()'s statement too) carries the caller's context.
        // A resource and runInAsyncScope rather than AsyncResource.bind(), which on Node 20 builds two
        // deprecated-property wrappers per call: 20 µs, a tenth of a TypeORM update() (bench/).
        const scope = new AsyncResource('RowtrailPoolConnect');
        return super.connect((error, client, release) => {
          if (error || !client) return scope.runInAsyncScope(callback, undefined, error, client, release);
          // client.release() and the third argument are the same guarded function, as in pg-pool
          client.release = guardRelease(client, release) as typeof client.release;
          scope.runInAsyncScope(callback, undefined, error, client, client.release);
        });
      }
      return super.connect().then((client) => {
        client.release = guardRelease(client, client.release.bind(client)) as typeof client.release;
        return client;
      });
    }
  }

  const driver = Object.assign(Object.create(base), { Client: RowtrailClient, Pool: RowtrailPool }) as typeof pg;
  Object.defineProperty(driver, WRAPPED, { value: { base, mapError } satisfies WrappedDriver });
  // pg's `native` (pg-native's bindings) would otherwise be inherited from base unwrapped, and TypeORM
  // switches to it whenever pg-native is installed: every write would then travel without context.
  let native: typeof pg | null | undefined;
  Object.defineProperty(driver, 'native', {
    configurable: true,
    enumerable: false,
    get() {
      if (native === undefined) {
        const baseNative = (base as unknown as { native?: typeof pg | null }).native;
        native = baseNative ? createContextDriver(baseNative, options) : null;
      }
      return native;
    },
  });
  return driver;
}

type Callback = (error: unknown, result: unknown) => void;

/** The callback with the driver's error mapped (module level: nothing is built per statement that needs no callback). */
function mapCallback(callback: Callback, mapError: NonNullable<ContextDriverOptions['mapError']>, text: unknown): Callback {
  return (error, result) => callback(error ? mapError(error, String(text)) : error, result);
}

// registered: a driver wrapped by another copy of this package in the process counts as wrapped too (process-state.ts)
const WRAPPED = Symbol.for('@rowtrail/server context driver v1');
interface WrappedDriver {
  base: typeof pg;
  mapError?: ContextDriverOptions['mapError'];
}

/**
 * A connection released with its transaction still open (TypeORM does this when
 * a QueryRunner is released without commit) is rolled back before it returns
 * to the pool, so the next request never joins someone else's transaction.
 */
function guardRelease(client: pg.PoolClient, release: (error?: Error | boolean) => void): (error?: Error | boolean) => void {
  let released = false;
  return (error?: Error | boolean) => {
    if (released) return release(error); // let pg-pool raise its double-release error
    released = true;
    const status = (client as unknown as { getTransactionStatus?: () => string | null }).getTransactionStatus?.();
    if (error || (status !== 'T' && status !== 'E')) return release(error);
    client.query('ROLLBACK').then(
      () => release(),
      (rollbackError: Error) => release(rollbackError), // destroy the connection rather than reuse it
    );
  };
}
