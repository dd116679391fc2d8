import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { encodeContextComment } from './context-comment.js';

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

const storage = new AsyncLocalStorage<RequestContext>();

/** Builds a context, refusing (with a RowtrailContextError) one that cannot travel: before any write happens. */
export function createContext(metadata: ContextMetadata, id: string = randomUUID()): RequestContext {
  return Object.freeze({ id, metadata, comment: encodeContextComment(id, metadata) });
}

/**
 * Runs fn with a request context: every write fn makes through a Rowtrail-wired
 * connection is attributed to it. Nested calls replace the context for their scope.
 */
export function run<T>(metadata: ContextMetadata | RequestContext, fn: () => T): T {
  const context = isRequestContext(metadata) ? metadata : createContext(metadata);
  return storage.run(context, fn);
}

/** The context of the current async scope, if any. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

function isRequestContext(value: ContextMetadata | RequestContext): value is RequestContext {
  return typeof value.comment === 'string' && typeof value.id === 'string' && typeof value.metadata === 'object';
}
