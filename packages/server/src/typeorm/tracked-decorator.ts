import { z } from 'zod';
import { checkOptions } from '../option-kinds.js';
import { processWide } from '../process-state.js';

export interface TrackedOptions {
  /** Properties (or column names) that never reach any history table, e.g. password hashes. */
  exclude?: string[];
  /** Properties (or column names) snapshotted but whose change alone makes no event, e.g. updatedAt. */
  ignoreChanges?: string[];
  /** Label written on this entity's events. Default "snapshot". */
  label?: string;
  /**
   * Many-to-many relations (by property) whose join tables get a history of their own: one event per link added
   * (INSERT) or removed (DELETE), with the request's context. A join table has no entity to put @Tracked on.
   */
  manyToMany?: string[];
}

const trackedEntities = processWide('trackedEntities', () => new Map<Function, TrackedOptions>());

const names = (what: string) => [z.array(z.string().min(1)), `an array of ${what} names`] as const;
const TRACKED_OPTION_KINDS = {
  exclude: names('property (or column)'),
  ignoreChanges: names('property (or column)'),
  label: [z.string().trim().min(1), 'a non-empty string'],
  manyToMany: names('relation property'),
} as const;

/** Marks a TypeORM entity for history capture. */
export function Tracked(options: TrackedOptions = {}): ClassDecorator {
  return (target) => {
    const where = `@Tracked on ${target.name}`;
    checkOptions(options, TRACKED_OPTION_KINDS, (name, reason) => new Error(`Rowtrail: ${where}: ${name}: ${reason}`));
    const both = (options.exclude ?? []).filter((name) => options.ignoreChanges?.includes(name));
    if (both.length > 0) {
      throw new Error(`Rowtrail: ${where}: ${both.join(', ')} in both exclude and ignoreChanges: an excluded column is never recorded, so there is no change of it to ignore; name it in one of them`);
    }
    trackedEntities.set(target, options);
  };
}

/** Options of a @Tracked entity class (looking up its parent classes too), or undefined. */
export function trackedOptionsOf(target: Function | string): TrackedOptions | undefined {
  if (typeof target === 'string') return undefined;
  for (let current: Function | null = target; current && current !== Function.prototype; current = Object.getPrototypeOf(current)) {
    const options = trackedEntities.get(current);
    if (options) return options;
  }
  return undefined;
}
