import { createContext, currentContext, run, type RequestContext } from '../context/request-context.js';
import { uuidV7 } from '../context/uuid-v7.js';
import { processWide } from '../process-state.js';

const ignoredBy = processWide('ignoredProtections', () => new WeakMap<RequestContext, readonly string[]>());

/** Protections ignored in the current async scope. */
export function ignoredProtections(): readonly string[] {
  const context = currentContext();
  return (context && ignoredBy.get(context)) ?? [];
}

/**
 * Runs fn with the named protections ignored: the "official interface" of a
 * protected operation. Names are "name", "table:name" or "schema.table:name".
 *
 * The names travel in the context comment of each statement fn sends through a
 * Rowtrail-wired connection, so the bypass covers exactly fn's statements:
 * it ends when fn returns or throws, nests (inner scopes add names), and never
 * reaches a concurrent request, which has its own async scope.
 * The request context (id, metadata) is kept; outside any, fn gets a new one.
 */
export function ignore<T>(names: string | string[], fn: () => T): T {
  const current = currentContext();
  const list = [...new Set([...ignoredProtections(), ...(Array.isArray(names) ? names : [names])])];
  if (list.length === 0) return fn();
  const id = current?.id ?? uuidV7();
  const metadata = current?.metadata ?? {};
  const context = createContext(metadata, id, { ig: list });
  ignoredBy.set(context, list);
  return run(context, fn);
}
