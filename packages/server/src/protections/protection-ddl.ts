import { anyColumnDiffers, comparable } from '../ddl/column-comparison.js';
import { qualified, quoteIdent, quoteLiteral } from '../ddl/quote.js';
import { refuseRenamedTable } from '../ddl/renamed-table-guard.js';
import {
  FUNCTION_SUFFIXES, protectionFunctionName, protectionTriggerName, TRIGGER_SUFFIXES, type FunctionSuffix, type TriggerSuffix,
} from './protection-names.js';
import { fsmStateCheck } from './fsm-state-check.js';
import { validateProtections, type ProtectedOperation, type ProtectedTableSpec, type ProtectionSpec } from './protection-spec.js';
import { refuseOnPartition, softDeleteInstallCheck, softDeleteMark } from './soft-delete-install-check.js';
import { triggerFunction, triggerGroup, type TriggerGroupDdl } from './trigger-group.js';
import { versionedBumpBlock } from './versioned-bump.js';
import { versionedFieldCheck } from './versioned-field-check.js';

export { PROTECTION_TRIGGER_PREFIX } from './protection-names.js';

const ops = (operations: ProtectedOperation[]) => operations.map((o) => o.toUpperCase()).join(' OR ');
const col = (prefix: 'OLD' | 'NEW', name: string) => `${prefix}.${quoteIdent(name)}`;

/** Whether the running statement's context ignores the protection `name` of the table it is declared on. */
function ignoredCheck(rowtrailSchema: string, spec: Pick<ProtectedTableSpec, 'schema' | 'table'>, name: string): string {
  return `${quoteIdent(rowtrailSchema)}.protection_ignored(${[spec.schema, spec.table, name].map(quoteLiteral).join(', ')})`;
}

/**
 * Lets the write through when the protection is ignored (the row a BEFORE row trigger must return). The table is
 * the one the protection is declared on, as a constant: on a partition, TG_TABLE_NAME would name the partition.
 */
function passWhenIgnored(rowtrailSchema: string, spec: Pick<ProtectedTableSpec, 'schema' | 'table'>, name: string): string {
  return `  IF ${ignoredCheck(rowtrailSchema, spec, name)} THEN
    IF TG_LEVEL = 'ROW' AND TG_WHEN = 'BEFORE' THEN
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END IF;
    RETURN NULL;
  END IF;`;
}

/**
 * PL/pgSQL source without its leading whitespace and comments: `--` to the end of the line, and block comments
 * (slash-star to star-slash), which nest as in PostgreSQL's scanner. An unterminated one is kept (PostgreSQL reports it).
 */
export function withoutLeadingComments(source: string): string {
  let rest = source.trimStart();
  for (;;) {
    if (rest.startsWith('--')) {
      const end = rest.indexOf('\n');
      rest = end < 0 ? '' : rest.slice(end + 1).trimStart();
    } else if (rest.startsWith('/*')) {
      let depth = 0;
      let i = 0;
      for (; i < rest.length; i++) {
        if (rest.startsWith('/*', i)) { depth++; i++; } else if (rest.startsWith('*/', i)) { depth--; i++; if (depth === 0) break; }
      }
      if (depth > 0) return rest;
      rest = rest.slice(i + 1).trimStart();
    } else {
      return rest;
    }
  }
}

/**
 * The columns a protection's triggers and functions name as text (trigger arguments, function bodies), which a
 * RENAME COLUMN does not follow. A custom trigger's body and a condition are the user's SQL, not read here.
 */
function namedFields(p: ProtectionSpec, primaryKey: string[]): string[] {
  switch (p.kind) {
    case 'read_only': return p.fields;
    case 'fsm': case 'versioned': return [p.field];
    case 'soft_delete': return [...new Set([p.field, ...primaryKey])];
    default: return [];
  }
}

/** Suffixes of the triggers and functions a protection's definition creates. */
function ownSuffixes(p: ProtectionSpec): { triggers: TriggerSuffix[]; functions: FunctionSuffix[] } {
  switch (p.kind) {
    case 'protect': return {
      triggers: [...(p.operations.some((o) => o !== 'truncate') ? ['' as const] : []), ...(p.operations.includes('truncate') ? ['_truncate' as const] : [])],
      functions: [],
    };
    case 'versioned': return { triggers: ['', '_bump'], functions: ['bump'] };
    case 'soft_delete': return { triggers: [''], functions: ['soft_delete'] };
    case 'trigger': return { triggers: [''], functions: ['trigger'] };
    default: return { triggers: [''], functions: [] };
  }
}

/**
 * Builds the triggers of each protection of a table. Pure: no database needed.
 * Trigger names keep fixed suffixes after the (possibly shortened) protection
 * name, so a versioned field's guard (…_<name>) fires before its increment
 * (…_<name>_bump). Each group also drops the triggers and functions its name
 * had under an earlier definition (see TriggerGroupDdl.staleTriggers).
 */
export function buildProtectionDdl(spec: ProtectedTableSpec, rowtrailSchema: string): TriggerGroupDdl[] {
  validateProtections(spec);
  const table = qualified(spec.schema, spec.table);
  const s = quoteIdent(rowtrailSchema);
  const types = new Map((spec.columns ?? []).map((c) => [c.name, c.type]));
  // whether a field changed, compared as history capture compares it; over OLD and NEW in a WHEN clause,
  // over $1 and $2 for refuse_read_only_change() (sql/000007), which names the fields with the same test
  const changed = (field: string, oldRow = 'OLD.', newRow = 'NEW.') => {
    const column = { name: field, type: types.get(field) ?? '' };
    return `${comparable(column, oldRow)} IS DISTINCT FROM ${comparable(column, newRow)}`;
  };
  const fnName = (p: ProtectionSpec, suffix: FunctionSuffix) => protectionFunctionName(rowtrailSchema, spec.schema, spec.table, p.name, suffix);
  const triggerName = (p: ProtectionSpec, suffix: TriggerSuffix = '') => protectionTriggerName(p.name, suffix);

  // every trigger and function name the table's protections define: refuse overlaps, and never drop one as stale
  const owner = new Map<string, string>();
  for (const p of spec.protections) {
    const own = ownSuffixes(p);
    for (const name of [...own.triggers.map((x) => triggerName(p, x)), ...own.functions.map((x) => fnName(p, x))]) {
      const other = owner.get(name);
      if (other !== undefined) {
        throw new Error(`Rowtrail: protections "${other}" and "${p.name}" on ${spec.schema}.${spec.table} would both create ${name}: rename one of them`);
      }
      owner.set(name, p.name);
    }
  }
  // a constraint trigger (deferrable) is created as CONSTRAINT TRIGGER and dropped as any other
  const trigger = (name: string, definition: string, constraint = false) => [
    `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${table}`,
    `CREATE ${constraint ? 'CONSTRAINT ' : ''}TRIGGER ${quoteIdent(name)} ${definition}`,
  ];
  const protectCall = (p: ProtectionSpec, kind: string, fields: string[] = []) =>
    `EXECUTE FUNCTION ${s}.protect(${[p.name, kind, ...fields].map(quoteLiteral).join(', ')})`;
  const group = (p: ProtectionSpec, triggers: string[], functions: string[], statements: string[], checks: string[] = []) =>
    triggerGroup({
      schema: spec.schema, table: spec.table, name: p.name, kind: p.kind, triggers, functions, fields: namedFields(p, spec.primaryKey), rowtrailSchema,
      staleTriggers: TRIGGER_SUFFIXES.map((x) => triggerName(p, x)).filter((t) => !owner.has(t)),
      staleFunctions: FUNCTION_SUFFIXES.map((x) => fnName(p, x)).filter((f) => !owner.has(f)),
    }, statements, checks);

  return spec.protections.map((p) => {
    switch (p.kind) {
      case 'protect': {
        const rowOps = p.operations.filter((o) => o !== 'truncate');
        const names: string[] = [];
        const statements: string[] = [];
        if (rowOps.length > 0) {
          names.push(triggerName(p));
          const when = p.condition ? ` WHEN (${p.condition})` : '';
          statements.push(...trigger(triggerName(p), `BEFORE ${ops(rowOps)} ON ${table} FOR EACH ROW${when} ${protectCall(p, 'protect')}`));
        }
        if (p.operations.includes('truncate')) {
          names.push(triggerName(p, '_truncate'));
          statements.push(...trigger(triggerName(p, '_truncate'), `BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT ${protectCall(p, 'protect')}`));
        }
        return group(p, names, [], statements);
      }
      case 'read_only': {
        const when = p.fields.map((f) => changed(f)).join(' OR ');
        const args = [p.name, ...p.fields.flatMap((f) => [f, changed(f, '($1).', '($2).')])].map(quoteLiteral).join(', ');
        return group(p, [triggerName(p)], [], trigger(triggerName(p), `BEFORE UPDATE ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION ${s}.refuse_read_only_change(${args})`));
      }
      case 'fsm': {
        const pairs = p.transitions.map((t) => `${quoteLiteral(JSON.stringify(t))}::jsonb`).join(', ');
        const allowed = `pg_catalog.jsonb_build_array(${col('OLD', p.field)}::text, ${col('NEW', p.field)}::text) = ANY (ARRAY[${pairs}])`;
        const when = `${changed(p.field)} AND NOT (${allowed})${p.condition ? ` AND (${p.condition})` : ''}`;
        // not hashed (a check, not the definition): an FSM installed before the check was added stays installed
        const states = [...new Set(p.transitions.flat().filter((state): state is string => state !== null))];
        return group(p, [triggerName(p)], [], trigger(triggerName(p), `BEFORE UPDATE ON ${table} FOR EACH ROW WHEN (${when}) ${protectCall(p, 'fsm', [p.field])}`),
          [fsmStateCheck(spec.schema, spec.table, p.name, p.field, states)]);
      }
      case 'versioned': {
        const bump = fnName(p, 'bump');
        // With the table known to have no stored generated column, the bump's WHEN compares the whole rows by their
        // stored images (*<>: every column, whatever its type, with no equality operator needed, and no dependency on
        // any one column, which a list of columns would pin against DROP COLUMN and ALTER … TYPE), so a redundant update
        // costs no call. PostgreSQL refuses a BEFORE trigger's WHEN that reads NEW's generated columns (NEW.* does), so
        // with one, or with the table's columns unknown, the function tells a redundant update itself (versionedBumpBlock).
        const comparesRow = !spec.columns || spec.columns.some((c) => c.generated);
        return group(p, [triggerName(p), triggerName(p, '_bump')], [bump], [
          versionedFieldCheck(spec.schema, spec.table, p.name, p.field),
          triggerFunction(bump, versionedBumpBlock(p.field, passWhenIgnored(rowtrailSchema, spec, p.name), comparesRow, rowtrailSchema)),
          ...trigger(triggerName(p), `BEFORE UPDATE ON ${table} FOR EACH ROW WHEN (${changed(p.field)}) ${protectCall(p, 'versioned', [p.field])}`),
          ...trigger(triggerName(p, '_bump'), `BEFORE UPDATE ON ${table} FOR EACH ROW${comparesRow ? '' : ' WHEN (OLD.* *<> NEW.*)'} EXECUTE FUNCTION ${bump}`),
        ]);
      }
      case 'soft_delete': {
        const fn = fnName(p, 'soft_delete');
        return group(p, [triggerName(p)], [fn], [
          softDeleteInstallCheck(spec.schema, spec.table, p.name, p.field, spec.primaryKey, p.value),
          triggerFunction(fn, `BEGIN${refuseRenamedTable(spec, `soft delete ${p.name}`)}\n${passWhenIgnored(rowtrailSchema, spec, p.name)}${refuseOnPartition(p.name)}\n${softDeleteMark(table, p.field, spec.primaryKey, p.value, p.name)}\n  RETURN NULL;\nEND`),
          ...trigger(triggerName(p), `BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}`),
        ]);
      }
      case 'trigger': {
        const fn = fnName(p, 'trigger');
        const level = p.level === 'statement' ? 'STATEMENT' : 'ROW';
        // a full DECLARE/BEGIN block (after any comments) is the function's body as written; statements get a block around them
        const fullBlock = /^(<<\s*\w+\s*>>\s*)?(DECLARE|BEGIN)\b/i.test(withoutLeadingComments(p.func));
        const block = fullBlock ? p.func : `BEGIN\n  ${p.func}\nEND`;
        // the ignore check is in the WHEN clause, so it runs before any body: a skipped
        // BEFORE row trigger lets the row through unchanged, as an ignored protection should
        const notIgnored = `NOT ${ignoredCheck(rowtrailSchema, spec, p.name)}`;
        const when = ` WHEN (${p.condition ? `(${p.condition}) AND ` : ''}${notIgnored})`;
        // a deferrable one is a constraint trigger; its WHEN clause (the ignore check too) is evaluated as each row
        // changes, so what an ignore() scope changed queues no event, whenever the trigger would fire
        const create = p.timing === undefined
          ? trigger(triggerName(p), `${p.when.toUpperCase()} ${ops(p.operations)} ON ${table} FOR EACH ${level}${when} EXECUTE FUNCTION ${fn}`)
          : trigger(triggerName(p), `AFTER ${ops(p.operations)} ON ${table} DEFERRABLE INITIALLY ${p.timing.toUpperCase()} FOR EACH ROW${when} EXECUTE FUNCTION ${fn}`, true);
        return group(p, [triggerName(p)], [fn], [triggerFunction(fn, block), ...create]);
      }
    }
  });
}

/**
 * The protection groups of several tables. Identical groups (a table listed
 * twice, e.g. by entities sharing it through single-table inheritance) are
 * kept once; two different definitions of the same trigger or generated
 * function are refused, since installing one would silently replace the other.
 */
export function buildProtectionsDdl(specs: ProtectedTableSpec[], rowtrailSchema: string): TriggerGroupDdl[] {
  const groups: TriggerGroupDdl[] = [];
  const byObject = new Map<string, TriggerGroupDdl>();
  for (const group of specs.flatMap((spec) => buildProtectionDdl(spec, rowtrailSchema))) {
    const table = qualified(group.schema, group.table);
    const objects = [...group.triggers.map((t) => `trigger ${quoteIdent(t)} on ${table}`), ...group.functions.map((f) => `function ${f}`)];
    const same = objects.map((o) => byObject.get(o)).find((g) => g !== undefined);
    if (same && same.hash === group.hash && same.schema === group.schema && same.table === group.table && same.name === group.name) continue;
    for (const object of objects) {
      const other = byObject.get(object);
      if (other) {
        throw new Error(`Rowtrail: protection "${group.name}" on ${group.schema}.${group.table} and protection "${other.name}" on ${other.schema}.${other.table} `
          + `are different definitions of the same ${object}: rename one of them`);
      }
      byObject.set(object, group);
    }
    groups.push(group);
  }
  return groups;
}
