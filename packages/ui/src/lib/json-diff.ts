import { isExactNumber, sameJson } from './exact-json';

/** Where a change is: object keys (strings) and array indexes (numbers), from the top of the value. */
export type JsonPath = (string | number)[];

export type JsonChange =
  | { kind: 'added'; path: JsonPath; value: unknown }
  | { kind: 'removed'; path: JsonPath; value: unknown }
  | { kind: 'changed'; path: JsonPath; old: unknown; new: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !isExactNumber(v);

/**
 * Path-level differences between two JSON values (objects by own key, arrays by index). Numbers are compared by their
 * exact value, so 9007199254740993 → 9007199254740992 is a change; with `same = sameJsonText`, 1.0 → 1.00 is one too.
 */
export function jsonDiff(old: unknown, next: unknown, path: JsonPath = [], same: (a: unknown, b: unknown) => boolean = sameJson): JsonChange[] {
  if (same(old, next)) return [];
  if (isObject(old) && isObject(next)) {
    const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])];
    return keys.flatMap((key): JsonChange[] => {
      const child = [...path, key];
      if (!Object.hasOwn(old, key)) return [{ kind: 'added', path: child, value: next[key] }];
      if (!Object.hasOwn(next, key)) return [{ kind: 'removed', path: child, value: old[key] }];
      return jsonDiff(old[key], next[key], child, same);
    });
  }
  if (Array.isArray(old) && Array.isArray(next)) {
    const changes: JsonChange[] = [];
    for (let i = 0; i < Math.max(old.length, next.length); i++) {
      const child = [...path, i];
      if (i >= old.length) changes.push({ kind: 'added', path: child, value: next[i] });
      else if (i >= next.length) changes.push({ kind: 'removed', path: child, value: old[i] });
      else changes.push(...jsonDiff(old[i], next[i], child, same));
    }
    return changes;
  }
  return [{ kind: 'changed', path, old, new: next }];
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A path as readable, unambiguous text: `warranty.years`, `colors[1]`, and keys that are not plain identifiers quoted
 * (`["a.b"]`, `["0"]`, `[""]`), so `{"a.b": …}` and `{"a": {"b": …}}` never read the same. The whole value is `(value)`.
 */
export function formatPath(path: JsonPath): string {
  if (path.length === 0) return '(value)';
  return path.map((segment, i) =>
    typeof segment === 'number' ? `[${segment}]`
      : IDENTIFIER.test(segment) ? `${i === 0 ? '' : '.'}${segment}`
      : `[${JSON.stringify(segment)}]`).join('');
}

/** Objects and arrays (an exact number is a scalar, not a structure). */
export const isStructured = (v: unknown) => typeof v === 'object' && v !== null && !isExactNumber(v);
