/**
 * Protections of one table, independent of any ORM: the TypeORM adapter
 * builds them from decorators. Column names are database column names.
 */
export type ProtectedOperation = 'insert' | 'update' | 'delete' | 'truncate';

export type ProtectionSpec =
  /** Refuses the operations, optionally only when `condition` (SQL over OLD/NEW) holds. */
  | { kind: 'protect'; name: string; operations: ProtectedOperation[]; condition?: string }
  /** Refuses updates that change any of `fields`. */
  | { kind: 'read_only'; name: string; fields: string[] }
  /** Turns a DELETE into `UPDATE ... SET field = value`. */
  | { kind: 'soft_delete'; name: string; field: string; value: string | number | boolean | null }
  /** Increments `field` on every real change and refuses direct edits of it. */
  | { kind: 'versioned'; name: string; field: string }
  /** Allows only the listed [from, to] transitions of `field`. */
  | { kind: 'fsm'; name: string; field: string; transitions: Array<[string | null, string | null]>; condition?: string }
  /** A custom trigger: `func` is the PL/pgSQL body (statements, or a full DECLARE/BEGIN block). */
  | {
      kind: 'trigger'; name: string; when: 'before' | 'after'; operations: ProtectedOperation[];
      level?: 'row' | 'statement'; condition?: string; func: string;
      /**
       * A deferrable constraint trigger (AFTER, row level): 'deferred' fires at COMMIT (INITIALLY DEFERRED), 'immediate'
       * at the end of the statement unless the transaction runs SET CONSTRAINTS … DEFERRED. Default: an ordinary trigger.
       */
      timing?: 'immediate' | 'deferred';
    };

export interface ProtectedTableSpec {
  schema: string;
  table: string;
  /** Primary-key columns (soft delete updates the deleted row by them). */
  primaryKey: string[];
  protections: ProtectionSpec[];
  /**
   * Database types of the table's columns (optional). Fields of a type without
   * an equality operator (json, xml, point and the other geometric types) are
   * compared as text; without their type, a protection on them cannot be installed.
   */
  columns?: Array<{ name: string; type: string; /** A stored generated column (left out of a versioned field's change test). */ generated?: boolean }>;
}

const NAME = /^[a-z_][a-z0-9_]*$/i;
const OPERATIONS: readonly string[] = ['insert', 'update', 'delete', 'truncate'] satisfies ProtectedOperation[];
const KINDS: readonly string[] = ['protect', 'read_only', 'soft_delete', 'versioned', 'fsm', 'trigger'] satisfies ProtectionSpec['kind'][];

/** Refuses specs that cannot compile to sensible triggers, with a message naming the table and protection. */
export function validateProtections(spec: ProtectedTableSpec): void {
  const where = (name: string) => `Rowtrail: protection "${name}" on ${spec.schema}.${spec.table}`;
  const seen = new Set<string>();
  for (const p of spec.protections) {
    // from JavaScript, or a spec built by hand: a misspelt kind ('readOnly') would fail later with a TypeError
    if (!KINDS.includes((p as { kind: unknown }).kind as string)) {
      throw new Error(`${where(p.name)}: ${JSON.stringify((p as { kind: unknown }).kind)} is not a kind of protection (those are ${KINDS.join(', ')})`);
    }
    if (!NAME.test(p.name)) throw new Error(`${where(p.name)}: a protection name must be a plain identifier (letters, digits, _)`);
    if (seen.has(p.name)) throw new Error(`${where(p.name)}: declared twice`);
    seen.add(p.name);
    if ((p.kind === 'protect' || p.kind === 'trigger') && p.operations.length === 0) throw new Error(`${where(p.name)}: names no operation`);
    if (p.kind === 'protect' || p.kind === 'trigger') {
      const unknown = p.operations.filter((o) => !OPERATIONS.includes(o));
      if (unknown.length > 0) throw new Error(`${where(p.name)}: ${unknown.map((o) => JSON.stringify(o)).join(', ')} ${unknown.length === 1 ? 'is not an operation' : 'are not operations'} (those are ${OPERATIONS.join(', ')})`);
    }
    if (p.kind === 'trigger' && p.when !== 'before' && p.when !== 'after') throw new Error(`${where(p.name)}: when must be 'before' or 'after', got ${JSON.stringify(p.when)}`);
    if (p.kind === 'protect' && p.condition && p.operations.includes('truncate')) {
      throw new Error(`${where(p.name)}: a condition cannot apply to TRUNCATE (it has no rows); protect truncate separately`);
    }
    if (p.kind === 'read_only' && p.fields.length === 0) throw new Error(`${where(p.name)}: names no field`);
    if (p.kind === 'trigger' && p.level !== undefined && p.level !== 'row' && p.level !== 'statement') {
      throw new Error(`${where(p.name)}: level must be 'row' or 'statement', got ${JSON.stringify(p.level)}`);
    }
    if (p.kind === 'trigger' && p.timing !== undefined) {
      if (p.timing !== 'immediate' && p.timing !== 'deferred') throw new Error(`${where(p.name)}: timing must be 'immediate' or 'deferred', got ${JSON.stringify(p.timing)}`);
      // PostgreSQL's constraint triggers are AFTER row triggers only
      if (p.when !== 'after' || p.level === 'statement') {
        throw new Error(`${where(p.name)}: a deferrable trigger (timing ${JSON.stringify(p.timing)}) fires AFTER each row; declare it with when 'after' and level 'row'`);
      }
    }
    if (p.kind === 'trigger' && p.level !== 'statement' && p.operations.includes('truncate')) {
      throw new Error(`${where(p.name)}: a row-level trigger cannot fire on TRUNCATE (it has no rows); declare it with level 'statement', or trigger on truncate separately`);
    }
    if (p.kind === 'fsm' && p.transitions.length === 0) throw new Error(`${where(p.name)}: lists no transition`);
    if (p.kind === 'fsm') {
      // the trigger compares the field's text with each pair's: a number or a triple would never match, refusing every change
      // null names the field's NULL: [null, 'draft'] lets a row without a state get one
      const bad = p.transitions.find((t) => !Array.isArray(t) || t.length !== 2 || t.some((v) => typeof v !== 'string' && v !== null) || (t[0] === null && t[1] === null));
      if (bad !== undefined) throw new Error(`${where(p.name)}: each transition must be a pair of state names as strings (or null for no state), [from, to]; got ${JSON.stringify(bad)}`);
    }
    if (p.kind === 'soft_delete' && spec.primaryKey.length === 0) throw new Error(`${where(p.name)}: soft delete needs a primary key`);
  }
}
