import { createLiveContext, currentContext, run, type RequestContext } from '../context/request-context.js';
import { uuidV7 } from '../context/uuid-v7.js';
import { processWide } from '../process-state.js';

const ignoredBy = processWide('ignoredProtections v2', () => new WeakMap<RequestContext, () => readonly string[]>());

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
  const own = Array.isArray(names) ? names : [names];
  if (own.length === 0) return fn();
  // an enclosing ignore()'s names count while it is active: work it left running keeps only this one's
  const enclosing = current ? ignoredBy.get(current) : undefined;
  let active = true;
  let last: { key: string; list: readonly string[]; extra: { ig: readonly string[] } } | undefined;
  const ignoring = () => {
    if (!active) return undefined;
    const list = [...new Set([...(enclosing?.() ?? []), ...own])];
    const key = list.join('\u0000');
    if (last?.key !== key) last = { key, list, extra: { ig: list } }; // the same object while unchanged: the comment is reused
    return last;
  };
  const context = createLiveContext(() => current?.metadata ?? {}, current?.id ?? uuidV7(), () => ignoring()?.extra);
  ignoredBy.set(context, () => ignoring()?.list ?? []);
  const end = () => { active = false; };
  let result: T;
  try {
    result = run(context, fn);
  } catch (error) {
    end();
    throw error;
  }
  if (!isThenable(result)) {
    end();
    return result;
  }
  // then() inside the scope: a lazy thenable (a query builder) sends its statement when then() is called
  return run(context, () => result.then(
    (value) => { end(); return value; },
    (error: unknown) => { end(); throw error; },
  )) as T;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
