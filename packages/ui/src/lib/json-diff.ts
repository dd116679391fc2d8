export type JsonChange =
  | { kind: 'added'; path: string; value: unknown }
  | { kind: 'removed'; path: string; value: unknown }
  | { kind: 'changed'; path: string; old: unknown; new: unknown };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Path-level differences between two JSON values (objects by key, arrays by index). */
export function jsonDiff(old: unknown, next: unknown, path = ''): JsonChange[] {
  if (JSON.stringify(old) === JSON.stringify(next)) return [];
  if (isObject(old) && isObject(next)) {
    const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])];
    return keys.flatMap((key) => {
      const child = path ? `${path}.${key}` : key;
      if (!(key in old)) return [{ kind: 'added' as const, path: child, value: next[key] }];
      if (!(key in next)) return [{ kind: 'removed' as const, path: child, value: old[key] }];
      return jsonDiff(old[key], next[key], child);
    });
  }
  if (Array.isArray(old) && Array.isArray(next)) {
    const changes: JsonChange[] = [];
    for (let i = 0; i < Math.max(old.length, next.length); i++) {
      const child = `${path}[${i}]`;
      if (i >= old.length) changes.push({ kind: 'added', path: child, value: next[i] });
      else if (i >= next.length) changes.push({ kind: 'removed', path: child, value: old[i] });
      else changes.push(...jsonDiff(old[i], next[i], child));
    }
    return changes;
  }
  return [{ kind: 'changed', path: path || '(value)', old, new: next }];
}

export const isStructured = (v: unknown) => typeof v === 'object' && v !== null;
