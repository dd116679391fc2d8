import { AsyncLocalStorage } from 'node:async_hooks';
import { encodeContext, encodeContextComment, RowtrailContextError } from './context-comment.js';
import { uuidV7 } from './uuid-v7.js';
import { processWide } from '../process-state.js';

/** What a request context may say. Any JSON-serialisable shape; these keys have meaning in the dashboard. */
export interface ContextMetadata {
  user?: string | number | null;
  requestId?: string;
  method?: string;
  url?: string;
  [key: string]: unknown;
}

export interface RequestContext {
  /** Id of the context row written with the first tracked write. */
  readonly id: string;
  readonly metadata: ContextMetadata;
  /** The statement prefix carrying this context, encoded once. */
  readonly comment: string;
}

const storage = processWide('contextStorage', () => new AsyncLocalStorage<RequestContext>());
// Contexts built here, and only these, are trusted as contexts: their comment was encoded by Rowtrail.
const builtContexts = processWide('builtContexts', () => new WeakSet<RequestContext>());
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function requireUuid(id: string): void {
  if (!UUID.test(id)) throw new RowtrailContextError(`Rowtrail: a context id must be a UUID, got ${JSON.stringify(id)}`);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Builds a context, refusing (with a RowtrailContextError) one that cannot
 * travel: before any write happens. `extra` adds Rowtrail's own payload keys
 * (e.g. the protections ignored by ignore()). The metadata is taken as it is now:
 * the context's `metadata` is a frozen copy of what its writes record (as JSON: a
 * Date becomes its ISO string), so changing the object passed in changes neither;
 * for metadata read at each statement, use createLiveContext().
 *
 * `id`: leave it out (a new UUID v7) unless you keep your own unique id for the unit of work. It must be new for each
 * context and made by your server: never take it from a client (an `X-Request-ID` header) or reuse one. Readers show a
 * context id's earliest stored row, so writes under an id another context used first are shown as that context's (its
 * user, database user and time), and filters find them under its user.
 */
export function createContext(metadata: ContextMetadata, id: string = uuidV7(), extra?: Record<string, unknown>): RequestContext {
  requireUuid(id);
  const { comment, sent } = encodeContext(id, metadata, extra);
  // the metadata as encoded, frozen: the caller's object may change later, the comment (what history records) does not
  const context: RequestContext = Object.freeze({ id, metadata: deepFreeze(sent as ContextMetadata), comment });
  builtContexts.add(context);
  return context;
}

/**
 * A context whose metadata is read again for each statement sent in it (same id): `read` is called then, and the
 * comment encoded again only when what it returns changed. For a request, whose user an authentication middleware
 * (or a route's own) may set after the context began. Refuses, as createContext does, metadata that cannot travel:
 * read once now, so a bad request is refused before any write, and at each statement after. `extra` as for
 * createContext, or read at each statement too (the comment is encoded again when it returns another object).
 * `id` as for createContext: new for each context, never a client's.
 */
export function createLiveContext(
  read: () => ContextMetadata, id: string = uuidV7(), extra?: Record<string, unknown> | (() => Record<string, unknown> | undefined),
): RequestContext {
  requireUuid(id);
  let last: { json: string; extra: Record<string, unknown> | undefined; metadata: ContextMetadata; comment: string } | undefined;
  const current = () => {
    const metadata = read();
    let json: string;
    try {
      json = JSON.stringify(metadata) ?? '';
    } catch (error) { // a bigint, a cycle: refused as encodeContextComment refuses them for run()
      throw new RowtrailContextError(`Rowtrail: the request context is not JSON-serialisable: ${(error as Error).message}`, { cause: error });
    }
    const more = typeof extra === 'function' ? extra() : extra;
    if (last?.json !== json || last.extra !== more) last = { json, extra: more, metadata, comment: encodeContextComment(id, metadata, more) };
    return last;
  };
  current();
  const context: RequestContext = Object.freeze({
    id,
    get metadata() { return current().metadata; },
    get comment() { return current().comment; },
  });
  builtContexts.add(context);
  return context;
}

/**
 * Runs fn with a request context: every write fn makes through a Rowtrail-wired
 * connection is attributed to it. Nested calls replace the context for their scope.
 */
export function run<T>(metadata: ContextMetadata | RequestContext, fn: () => T): T {
  const context = isRequestContext(metadata) ? metadata : createContext(metadata);
  return storage.run(context, fn);
}

/** Runs fn outside any request context (what it starts, e.g. a connection's socket, keeps none). */
export function outsideAnyContext<T>(fn: () => T): T {
  return storage.exit(fn);
}

/**
 * Runs fn outside any request context, for what a request starts that outlives it: a connection, socket or client the
 * application opens lazily on the first request (a session store's, a cache's), a timer or interval. Node runs the
 * callbacks of a socket in the async context it was opened in, so a connection opened inside request A runs every later
 * callback in A's context, and a middleware that calls `next()` from such a callback runs the rest of request B, and its
 * writes, as request A. Opened here, it keeps no context.
 */
export function runOutsideContext<T>(fn: () => T): T {
  return outsideAnyContext(fn);
}

/**
 * fn bound to the request context current now (or to none, when there is none): wherever and whenever it is called
 * later, its writes are attributed to that context. For work queued in one request and run later by code that another
 * request's work started (an in-process queue with limited concurrency runs the next job from the previous one's
 * completion, in that job's context): bind the job when it is queued, `queue.add(bindContext(job))`.
 */
export function bindContext<Args extends unknown[], R>(fn: (...args: Args) => R): (...args: Args) => R {
  const context = storage.getStore();
  return (...args: Args) => (context ? storage.run(context, () => fn(...args)) : storage.exit(() => fn(...args)));
}

/** The context of the current async scope, if any. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Only contexts made by createContext(): plain metadata that happens to have "comment" or "id" keys is metadata. */
function isRequestContext(value: ContextMetadata | RequestContext): value is RequestContext {
  return builtContexts.has(value as RequestContext);
}
