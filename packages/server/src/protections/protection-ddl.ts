import { identifierName } from '../ddl/identifier-name.js';
import { qualified, quoteIdent, quoteLiteral } from '../ddl/quote.js';
import { validateProtections, type ProtectedOperation, type ProtectedTableSpec, type ProtectionSpec } from './protection-spec.js';
import { triggerFunction, triggerGroup, type TriggerGroupDdl } from './trigger-group.js';

/** Prefix of every protection trigger on an application table. */
export const PROTECTION_TRIGGER_PREFIX = 'rowtrail_protect_';

const ops = (operations: ProtectedOperation[]) => operations.map((o) => o.toUpperCase()).join(' OR ');
const col = (prefix: 'OLD' | 'NEW', name: string) => `${prefix}.${quoteIdent(name)}`;
const changed = (field: string) => `${col('OLD', field)} IS DISTINCT FROM ${col('NEW', field)}`;

function sqlValue(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Rowtrail: soft delete value ${value} is not a finite number`);
    return String(value);
  }
  return quoteLiteral(value);
}

/** Lets the write through when the protection is ignored (the row a BEFORE row trigger must return). */
function passWhenIgnored(rowtrailSchema: string, name: string): string {
  return `  IF ${quoteIdent(rowtrailSchema)}.protection_ignored(TG_TABLE_SCHEMA, TG_TABLE_NAME, ${quoteLiteral(name)}) THEN
    IF TG_LEVEL = 'ROW' AND TG_WHEN = 'BEFORE' THEN
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END IF;
    RETURN NULL;
  END IF;`;
}

/**
 * Builds the triggers of each protection of a table. Pure: no database needed.
 * Triggers fire in name order, so a versioned field's guard (…_<name>) runs
 * before its increment (…_<name>_bump).
 */
export function buildProtectionDdl(spec: ProtectedTableSpec, rowtrailSchema: string): TriggerGroupDdl[] {
  validateProtections(spec);
  const table = qualified(spec.schema, spec.table);
  const s = quoteIdent(rowtrailSchema);
  const stem = spec.schema === 'public' ? spec.table : `${spec.schema}_${spec.table}`;
  const fnName = (p: ProtectionSpec, suffix: string) => `${qualified(rowtrailSchema, identifierName(stem, p.name, suffix))}()`;
  const triggerName = (p: ProtectionSpec, suffix = '') => identifierName(PROTECTION_TRIGGER_PREFIX + p.name + suffix);
  const trigger = (name: string, definition: string) => [
    `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${table}`,
    `CREATE TRIGGER ${quoteIdent(name)} ${definition}`,
  ];
  const protectCall = (p: ProtectionSpec, kind: string, fields: string[] = []) =>
    `EXECUTE FUNCTION ${s}.protect(${[p.name, kind, ...fields].map(quoteLiteral).join(', ')})`;
  const group = (p: ProtectionSpec, triggers: string[], functions: string[], statements: string[]) =>
    triggerGroup({ schema: spec.schema, table: spec.table, name: p.name, triggers, functions }, statements);

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
        const when = p.fields.map(changed).join(' OR ');
        return group(p, [triggerName(p)], [], trigger(triggerName(p), `BEFORE UPDATE ON ${table} FOR EACH ROW WHEN (${when}) ${protectCall(p, 'read_only', p.fields)}`));
      }
      case 'fsm': {
        const pairs = p.transitions.map((t) => `${quoteLiteral(JSON.stringify(t))}::jsonb`).join(', ');
        const allowed = `jsonb_build_array(${col('OLD', p.field)}::text, ${col('NEW', p.field)}::text) = ANY (ARRAY[${pairs}])`;
        const when = `${changed(p.field)} AND NOT (${allowed})${p.condition ? ` AND (${p.condition})` : ''}`;
        return group(p, [triggerName(p)], [], trigger(triggerName(p), `BEFORE UPDATE ON ${table} FOR EACH ROW WHEN (${when}) ${protectCall(p, 'fsm', [p.field])}`));
      }
      case 'versioned': {
        const bump = fnName(p, 'bump');
        return group(p, [triggerName(p), triggerName(p, '_bump')], [bump], [
          triggerFunction(bump, `BEGIN\n${passWhenIgnored(rowtrailSchema, p.name)}\n  NEW.${quoteIdent(p.field)} := coalesce(OLD.${quoteIdent(p.field)}, 0) + 1;\n  RETURN NEW;\nEND`),
          ...trigger(triggerName(p), `BEFORE UPDATE ON ${table} FOR EACH ROW WHEN (${changed(p.field)}) ${protectCall(p, 'versioned', [p.field])}`),
          ...trigger(triggerName(p, '_bump'), `BEFORE UPDATE ON ${table} FOR EACH ROW WHEN (to_jsonb(OLD) IS DISTINCT FROM to_jsonb(NEW)) EXECUTE FUNCTION ${bump}`),
        ]);
      }
      case 'soft_delete': {
        const fn = fnName(p, 'soft_delete');
        const key = spec.primaryKey.map((k) => `${quoteIdent(k)} = OLD.${quoteIdent(k)}`).join(' AND ');
        return group(p, [triggerName(p)], [fn], [
          triggerFunction(fn, `BEGIN\n${passWhenIgnored(rowtrailSchema, p.name)}\n  UPDATE ${table} SET ${quoteIdent(p.field)} = ${sqlValue(p.value)} WHERE ${key};\n  RETURN NULL;\nEND`),
          ...trigger(triggerName(p), `BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}`),
        ]);
      }
      case 'trigger': {
        const fn = fnName(p, 'trigger');
        const level = p.level === 'statement' ? 'STATEMENT' : 'ROW';
        const fullBlock = /^\s*(DECLARE|BEGIN)\b/i.test(p.func);
        const block = fullBlock ? p.func : `BEGIN\n${passWhenIgnored(rowtrailSchema, p.name)}\n  ${p.func}\nEND`;
        const when = p.condition ? ` WHEN (${p.condition})` : '';
        return group(p, [triggerName(p)], [fn], [
          triggerFunction(fn, block),
          ...trigger(triggerName(p), `${p.when.toUpperCase()} ${ops(p.operations)} ON ${table} FOR EACH ${level}${when} EXECUTE FUNCTION ${fn}`),
        ]);
      }
    }
  });
}
