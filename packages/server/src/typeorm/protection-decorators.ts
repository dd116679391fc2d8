import type { ProtectedOperation } from '../protections/protection-spec.js';
import { processWide } from '../process-state.js';

/**
 * Protection declarations as written on an entity: fields are property names
 * (or column names); the spec builder maps them to database columns.
 */
export type ProtectionDeclaration =
  | { kind: 'protect'; name: string; operations: ProtectedOperation[]; condition?: string }
  | { kind: 'read_only'; name: string; fields?: string[]; exclude?: string[] }
  | { kind: 'soft_delete'; name: string; field: string; value: string | number | boolean | null }
  | { kind: 'versioned'; name: string; field: string }
  | { kind: 'fsm'; name: string; field: string; transitions: Array<[string | null, string | null]>; condition?: string }
  | { kind: 'trigger'; name: string; when: 'before' | 'after'; operations: ProtectedOperation[]; level?: 'row' | 'statement'; condition?: string; func: string; timing?: 'immediate' | 'deferred' };

const declarations = processWide('protectionDeclarations', () => new Map<Function, ProtectionDeclaration[]>());

function declare(declaration: ProtectionDeclaration): ClassDecorator {
  return (target) => {
    const list = declarations.get(target) ?? [];
    declarations.set(target, [declaration, ...list]); // class decorators apply bottom-up: keep source order
  };
}

/** Refuses the operations (append-only = ['update', 'delete']), optionally only when `condition` (SQL over OLD/NEW) holds. */
export function Protect(options: { name?: string; operations: ProtectedOperation[]; condition?: string }): ClassDecorator {
  return declare({ kind: 'protect', name: options.name ?? 'protect', operations: options.operations, condition: options.condition });
}

/**
 * Refuses updates that change any of `fields`; updates of other fields pass. Or, with `exclude`, every column of the
 * entity but those (and stored generated columns, which follow the others) is read-only: `exclude: []` for the whole row.
 */
export function ReadOnly(options: { name?: string; fields: string[]; exclude?: never } | { name?: string; exclude: string[]; fields?: never }): ClassDecorator {
  const given = options as { name?: string; fields?: string[]; exclude?: string[] };
  return declare({ kind: 'read_only', name: given.name ?? 'read_only', fields: given.fields, exclude: given.exclude });
}

/** A DELETE becomes `UPDATE … SET field = value`: the row stays, flagged. */
export function SoftDelete(options: { name?: string; field: string; value: string | number | boolean | null }): ClassDecorator {
  return declare({ kind: 'soft_delete', name: options.name ?? 'soft_delete', field: options.field, value: options.value });
}

/** `field` is incremented on every real change (redundant updates do not bump it); direct edits of it are refused. */
export function Versioned(options: { name?: string; field: string }): ClassDecorator {
  return declare({ kind: 'versioned', name: options.name ?? 'versioned', field: options.field });
}

/** Only the listed [from, to] transitions of `field` are allowed; null names no state ([null, 'draft']: a first state). */
export function FSM(options: { name?: string; field: string; transitions: Array<[string | null, string | null]>; condition?: string }): ClassDecorator {
  return declare({ kind: 'fsm', name: options.name ?? 'fsm', field: options.field, transitions: options.transitions, condition: options.condition });
}

/**
 * A custom trigger: `func` is the PL/pgSQL body, e.g. 'NEW.total := NEW.price * NEW.qty; RETURN NEW;'. With `timing`, a
 * deferrable constraint trigger (after each row): 'deferred' fires at COMMIT, 'immediate' unless SET CONSTRAINTS defers it.
 */
export function Trigger(options: {
  name: string; when: 'before' | 'after'; operations: ProtectedOperation[]; level?: 'row' | 'statement'; condition?: string; func: string;
  timing?: 'immediate' | 'deferred';
}): ClassDecorator {
  return declare({ kind: 'trigger', ...options });
}

/** Declarations of an entity class, its parent classes' first. */
export function protectionDeclarationsOf(target: Function | string): ProtectionDeclaration[] {
  if (typeof target === 'string') return [];
  const chain: Function[] = [];
  for (let current: Function | null = target; current && current !== Function.prototype; current = Object.getPrototypeOf(current)) chain.unshift(current);
  return chain.flatMap((c) => declarations.get(c) ?? []);
}
