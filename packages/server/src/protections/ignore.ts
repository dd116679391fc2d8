import { createLiveContext, currentContext, run, type RequestContext } from '../context/request-context.js';
import { uuidV7 } from '../context/uuid-v7.js';
import { processWide } from '../process-state.js';

const ignoredBy = processWide('ignoredProtections', () => new WeakMap<RequestContext, () => readonly string[]>());

/** Protections ignored in the current async scope. */
export function ignoredProtections(): readonly string[] {
  const context = currentContext();
  return (context && ignoredBy.get(context)?.()) ?? [];
}

/**
 * Runs fn with the named protections ignored: the "official interface" of a
 * protected operation. Names are "name", "table:name" or "schema.table:name".
 *
 * The names travel in the context comment of each statement fn sends through a
 * Rowtrail-wired connection, so the bypass covers exactly fn's statements:
 * it ends when fn returns or throws (or the promise it returns settles), also
 * for work fn started and left running (a timer, a promise it did not await),
 * which keeps the request context but not the bypass; it nests (inner scopes
 * add names), and never reaches a concurrent request, which has its own async scope.
 * The request context (id, metadata) is kept, its metadata read from it at each statement (a request's user that
 * authentication sets after ignore() began counts); outside any, fn gets a new one.
 */
export function ignore<T>(names: string | string[], fn: () => T): T {
  const current = currentContext();
  const list = [...new Set([...ignoredProtections(), ...(Array.isArray(names) ? names : [names])])];
  if (list.length === 0) return fn();
  let active = true;
  const ignoring = { ig: list };
  const context = createLiveContext(() => current?.metadata ?? {}, current?.id ?? uuidV7(), () => (active ? ignoring : undefined));
  ignoredBy.set(context, () => (active ? list : []));
  let result: T;
  try {
    result = run(context, fn);
  } catch (error) {
    active = false;
    throw error;
  }
  if (!isThenable(result)) {
    active = false;
    return result;
  }
  return result.then(
    (value) => { active = false; return value; },
    (error: unknown) => { active = false; throw error; },
  ) as T;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
