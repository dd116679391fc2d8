/**
 * State that must exist once per process, however many copies of this package the process loaded.
 *
 * One process can hold two copies: a CommonJS application run under a loader such as tsx gets one
 * through its require() while the rowtrail command imported the other, and an application that mixes
 * import and require() of the package can do the same. Module-level state would then split: @Tracked
 * would register entities where the command never looks (status called them orphaned, prune removed
 * their triggers), and run() would set a context that the other copy's driver never reads. So this
 * state lives on globalThis, under a registered symbol, created by whichever copy asks first.
 */
const STATE = Symbol.for('@rowtrail/server process state v1');

type Holder = typeof globalThis & { [STATE]?: Map<string, unknown> };

/** The process's one value named `name`, made by `create` the first time any copy asks for it. */
export function processWide<T>(name: string, create: () => T): T {
  const holder = globalThis as Holder;
  const state = (holder[STATE] ??= new Map());
  if (!state.has(name)) state.set(name, create());
  return state.get(name) as T;
}
