import { AsyncResource } from 'node:async_hooks';
import { Readable } from 'node:stream';
import pg from 'pg';
import { guardRelease } from './release-guard.js';
import { currentContext, outsideAnyContext, type RequestContext } from './request-context.js';

export interface ContextDriverOptions {
  /** Maps a driver error to the error the application should see (protections use it). */
  mapError?: (error: unknown, queryText: string) => unknown;
}

type QueryConfigLike = { text?: unknown; name?: unknown; submit?: unknown; callback?: unknown; cursor?: { text?: unknown } };
type Submittable = QueryConfigLike & Record<string, unknown>;

// Statements that end or roll back a transaction (or a savepoint) and write nothing: they go through without
// context when the context can no longer be encoded, or a refused ROLLBACK would leave the connection in its transaction.
// The whole text must be that one statement: 'COMMIT; DELETE …' would send the DELETE without its context.
const ENDS_TRANSACTION = /^\s*(ROLLBACK|ABORT|COMMIT|END|RELEASE)\b[^;]*;?\s*$/i;

/** The context's comment; none for a statement that ends a transaction when a live context's metadata can no longer travel. */
function commentFor(context: RequestContext, config: unknown): string | undefined {
  try {
    return context.comment;
  } catch (error) {
    const text = typeof config === 'string' ? config : (config as QueryConfigLike | undefined)?.text;
    if (typeof text === 'string' && ENDS_TRANSACTION.test(text)) return undefined;
    throw error;
  }
}

/**
 * Prefixes a statement with the current context's comment. The context is read
 * here, synchronously in the caller's async scope: pg-pool's connect/acquire
 * callbacks run in whichever request released the connection last, so they
 * must never be used to read it (RowtrailPool binds its connect() callbacks,
 * pool.query()'s included, back to their caller's scope for that reason).
 */
function withContext(config: unknown, context: RequestContext | undefined): unknown {
  if (!context) return config;
  // A named prepared statement must keep one text per name: it travels without context.
  if (config && typeof config === 'object' && (config as QueryConfigLike).name) return config;
  const comment = commentFor(context, config);
  if (comment === undefined) return config;
  if (typeof config === 'string') return comment + config;
  if (config && typeof config === 'object') {
    const query = config as QueryConfigLike;
    if (typeof query.submit === 'function') {
      // A Submittable is a one-off object, prefixed in place: a pg-cursor Cursor keeps its SQL in
      // .text, a pg-query-stream QueryStream in .cursor.text (it submits its cursor, and has no .text).
      if (typeof query.text === 'string') query.text = comment + query.text;
      else if (query.cursor && typeof query.cursor.text === 'string') query.cursor.text = comment + query.cursor.text;
      return query;
    }
    if (typeof query.text !== 'string') return config;
    return { ...query, text: comment + query.text };
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
    return createContextDriver(wrapped.base, { ...options, mapError: bothMappers(wrapped.mapError, options.mapError) });
  }
  const mapError = options.mapError;
  const RowtrailClient = clientWithContext(base.Client, mapError);

  // The application's own Client class (pg.Pool's `Client` option, TypeORM's extra.Client, often an instrumented
  // one) stays the class of the pool's clients: Rowtrail's behaviour is a subclass of it, made once per class.
  const clientsOf = new WeakMap<Function, typeof pg.Client>();
  function clientFor(given: unknown): typeof pg.Client {
    if (given === undefined || given === null) return RowtrailClient; // pg-pool's default too: the driver's own Client
    assertClientClass(given, "the pg Pool's Client option (TypeORM: extra.Client)");
    let client = clientsOf.get(given);
    if (!client) {
      client = contextClientOf(given);
      clientsOf.set(given, client);
    }
    return client;
  }
  function contextClientOf(given: typeof pg.Client): typeof pg.Client {
    if (given === RowtrailClient) return given;
    // Another context driver's Client: its own base with this driver's behaviour, both error mappers (its own
    // first), as for a wrapped driver. Wrapping it again would send every statement with two comments.
    const made = Object.hasOwn(given, CONTEXT_CLIENT) ? (given as unknown as { [CONTEXT_CLIENT]: ContextClient })[CONTEXT_CLIENT] : undefined;
    if (made) return clientWithContext(made.base, bothMappers(made.mapError, mapError));
    // An application's subclass of a context driver's Client already puts the context before each statement.
    if (CONTEXT_CLIENT in given) return given;
    return clientWithContext(given, mapError);
  }

  class RowtrailPool extends base.Pool {
    constructor(config: pg.PoolConfig = {}) {
      super({ ...config, Client: clientFor(config.Client) });
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

/**
 * Refuses a Client option that is not a class: pg-pool would only fail at the first connection (`new this.Client`),
 * and a subclass cannot be made of it. `option` names the option as the application wrote it.
 */
export function assertClientClass(value: unknown, option: string): asserts value is typeof pg.Client {
  if (typeof value === 'function') {
    const prototype = (value as { prototype?: unknown }).prototype;
    if (prototype !== null && typeof prototype === 'object') return;
    throw new Error(`Rowtrail: ${option} must be a pg Client class, got a function with no prototype (an arrow function, method or bound function cannot be a Client class)`);
  }
  throw new Error(`Rowtrail: ${option} must be a pg Client class, got ${describeValue(value)}`);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string (${JSON.stringify(value)})`;
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return `an object (${typeof name === 'string' && name ? name : 'no class'})`;
  }
  return `${/^[aeiou]/.test(typeof value) ? 'an' : 'a'} ${typeof value} (${String(value)})`;
}

function bothMappers(inner: ContextDriverOptions['mapError'], outer: ContextDriverOptions['mapError']): ContextDriverOptions['mapError'] {
  return inner && outer ? (error: unknown, queryText: string) => outer(inner(error, queryText), queryText) : inner ?? outer;
}

/** A subclass of `Base` (pg's Client, pg-native's, or an application's) whose statements carry the request context. */
function clientWithContext(Base: typeof pg.Client, mapError: ContextDriverOptions['mapError']): typeof pg.Client {
  class RowtrailClient extends Base {
    // A connection's socket keeps the async context it was opened in, and pg runs what a statement's results
    // trigger (callbacks, stream events) from the socket's events. Opened inside a request (or inside ignore()),
    // a pooled connection would lend that request's context to what a later request's callbacks send: it is
    // opened outside any context, and query() runs callbacks and stream events in their caller's.
    override connect(callback?: any): any {
      if (typeof callback !== 'function') return outsideAnyContext(() => super.connect());
      const scope = new AsyncResource('RowtrailClientConnect');
      return outsideAnyContext(() => super.connect((error: Error | undefined) => scope.runInAsyncScope(callback, undefined, error)));
    }

    // pg's overloads are too wide to restate; the runtime contract is what matters here.
    override query(config: any, values?: any, callback?: any): any {
      const context = currentContext();
      const text = typeof config === 'string' ? config : config?.text ?? config?.cursor?.text;
      let prefixed: unknown;
      try {
        prefixed = withContext(config, context);
      } catch (error) {
        return refuseQuery(error, config, values, callback);
      }
      if (typeof (prefixed as QueryConfigLike)?.submit === 'function') {
        return (super.query as any)(inCallerScope(prefixed as Submittable, context, mapError, text), values, callback);
      }
      if (typeof values === 'function' || typeof callback === 'function') {
        const cb = typeof values === 'function' ? values : callback;
        const args = typeof values === 'function' ? [prefixed] : [prefixed, values];
        return (super.query as any)(...args, callerCallback(cb, context, mapError, text));
      }
      const configCallback = (prefixed as QueryConfigLike)?.callback;
      if (typeof configCallback === 'function') {
        // client.query({ text, callback }): pg calls config.callback and returns nothing, like the argument form
        return (super.query as any)({ ...(prefixed as object), callback: callerCallback(configCallback as Callback, context, mapError, text) }, values);
      }
      if (!mapError) return (super.query as any)(prefixed, values);
      return (super.query as any)(prefixed, values).catch((error: unknown) => {
        throw mapError(error, String(text));
      });
    }
  }
  Object.defineProperty(RowtrailClient, CONTEXT_CLIENT, { value: { base: Base, mapError } satisfies ContextClient });
  return RowtrailClient;
}

type Callback = (error: unknown, result: unknown) => void;

/**
 * A statement refused before it is sent (its context cannot travel), reported the way pg reports a failed
 * statement: through its callback, its Submittable's handleError, or a rejected promise, never thrown.
 */
function refuseQuery(error: unknown, config: unknown, values: unknown, callback: unknown): unknown {
  // a Submittable reports through its own handler (pg-query-stream's reaches a callback given with it), and is returned as pg does
  const submittable = config as Submittable | undefined;
  if (typeof submittable?.submit === 'function' && typeof submittable.handleError === 'function') {
    process.nextTick(() => (submittable.handleError as (e: unknown) => void)(error));
    return submittable;
  }
  const cb = typeof values === 'function' ? values : typeof callback === 'function' ? callback : (config as QueryConfigLike | undefined)?.callback;
  if (typeof cb === 'function') {
    process.nextTick(() => (cb as Callback)(error, undefined));
    return undefined;
  }
  return Promise.reject(error);
}

/**
 * The callback with the driver's error mapped, run in its caller's async scope (with a context: without one the
 * scope of the socket, opened outside any context, is the same). Module level: nothing is built per statement that
 * needs no callback.
 */
function callerCallback(callback: Callback, context: RequestContext | undefined, mapError: ContextDriverOptions['mapError'], text: unknown): Callback {
  const mapped: Callback = mapError ? (error, result) => callback(error ? mapError(error, String(text)) : error, result) : callback;
  if (!context) return mapped;
  const scope = new AsyncResource('RowtrailQuery');
  return (error, result) => scope.runInAsyncScope(mapped, undefined, error, result);
}

// What pg's client calls on the statement it runs (lib/client.js: activeQuery.*); a Cursor or QueryStream emits its
// rows, end and error events from them.
const SUBMITTABLE_HANDLERS = [
  'submit', 'handleRowDescription', 'handleDataRow', 'handlePortalSuspended', 'handleEmptyQuery', 'handleCommandComplete',
  'handleCopyInResponse', 'handleCopyData', 'handleError', 'handleReadyForQuery',
] as const;

/** A Submittable (pg-cursor, pg-query-stream) whose errors are mapped and whose events run in its caller's scope. */
function inCallerScope(query: Submittable, context: RequestContext | undefined, mapError: ContextDriverOptions['mapError'], text: unknown): Submittable {
  const handleError = query.handleError;
  if (mapError && typeof handleError === 'function') {
    query.handleError = function (this: unknown, error: unknown, ...rest: unknown[]) {
      return handleError.call(this, mapError(error, String(text)), ...rest);
    };
  }
  bindCallbacksToCaller(query);
  if (!context) return query;
  const scope = new AsyncResource('RowtrailSubmittable');
  for (const name of SUBMITTABLE_HANDLERS) {
    const handler = query[name];
    if (typeof handler === 'function') {
      query[name] = function (this: unknown, ...args: unknown[]) {
        return scope.runInAsyncScope(handler as (...a: unknown[]) => unknown, this, ...args);
      };
    }
  }
  return query;
}

/**
 * pg-cursor's read(rows, callback) and close(callback) keep the callback and call it from the statement's handlers,
 * which run in the scope of whoever sent the statement: a callback given by another request (a cursor handed on) ran
 * in the sender's context, and what it wrote was attributed to the sender. The callback runs in the scope of the
 * call that gave it, as Node's callbacks do (the promise forms already resume in the awaiting scope).
 */
function bindCallbacksToCaller(query: Submittable): void {
  // a stream (pg-query-stream) reads through Readable.read(size), called for every chunk, and takes no callback
  if (query instanceof Readable) return;
  const cursor = query as Submittable & { read?: (...args: unknown[]) => unknown; close?: (...args: unknown[]) => unknown };
  for (const name of ['read', 'close'] as const) {
    const method = cursor[name];
    if (typeof method !== 'function') continue;
    cursor[name] = function (this: unknown, ...args: unknown[]) {
      const at = args.findIndex((a) => typeof a === 'function');
      if (at >= 0) {
        const callback = args[at] as (...a: unknown[]) => unknown;
        const scope = new AsyncResource('RowtrailCursorCallback');
        args[at] = function (this: unknown, ...results: unknown[]) {
          return scope.runInAsyncScope(callback, this, ...results);
        };
      }
      return method.apply(this, args);
    };
  }
}

// registered: a driver wrapped by another copy of this package in the process counts as wrapped too (process-state.ts)
const WRAPPED = Symbol.for('@rowtrail/server context driver v1');
interface WrappedDriver {
  base: typeof pg;
  mapError?: ContextDriverOptions['mapError'];
}
// on every client class made here (inherited by an application's subclass of one): the class it extends, and its mapper
const CONTEXT_CLIENT = Symbol.for('@rowtrail/server context client v1');
interface ContextClient {
  base: typeof pg.Client;
  mapError?: ContextDriverOptions['mapError'];
}
