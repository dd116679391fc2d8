import type pg from 'pg';
import { qualified, quoteIdent } from '../ddl/quote.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import type { RegistryRow } from '../lifecycle/registry-rows.js';
import { PROTECTION_TRIGGER_PREFIX } from './protection-names.js';
import type { ProtectedTableSpec } from './protection-spec.js';

interface SoftDeleteField { table: string; protection: string; field: string }
interface RecordedColumns { exclude: readonly string[]; ignoreChanges: readonly string[] }

const softDeletesOf = (protections: readonly ProtectedTableSpec[]): SoftDeleteField[] => protections.flatMap((spec) =>
  spec.protections.flatMap((p) => p.kind === 'soft_delete' ? [{ table: `${spec.schema}.${spec.table}`, protection: `soft delete "${p.name}"`, field: p.field }] : []));
const historiesOf = (tracked: readonly TrackedTableSpec[]) =>
  new Map<string, RecordedColumns>(tracked.map((t) => [`${t.schema}.${t.table}`, { exclude: t.exclude, ignoreChanges: t.ignoreChanges }]));

function refuse(softDeletes: readonly SoftDeleteField[], histories: ReadonlyMap<string, RecordedColumns>): void {
  for (const { table, protection, field } of softDeletes) {
    const history = histories.get(table);
    if (!history) continue;
    const option = history.exclude.includes(field) ? 'exclude' : history.ignoreChanges.includes(field) ? 'ignoreChanges' : undefined;
    if (!option) continue;
    const what = option === 'exclude' ? 'leaves out' : 'ignores changes of';
    // the same declaration in the CLI's words: rowtrail install --table takes it as --exclude or --ignore
    const flag = option === 'exclude' ? '--exclude' : '--ignore';
    throw new Error(`Rowtrail: ${protection} on ${table} marks deleted rows in column ${field}, which the table's history ${what} (${option}): `
      + `a deletion would leave no event in history. Take ${field} out of ${option} (rowtrail install: drop its ${flag} ${table}.${field})`);
  }
}

/**
 * Refuses a soft delete whose field the table's history leaves out (`exclude`) or whose changes it ignores
 * (`ignoreChanges`): the UPDATE a soft delete turns a DELETE into would then change nothing history records, and the
 * deletion would leave no event. Compares the declarations given with each other, and with what earlier installs put
 * in the database: a soft delete declared now on a table tracked earlier (its registry row's options), and a table
 * tracked now that an earlier install gave a soft delete (its function, whose UPDATE names the field), when this
 * install does not declare that table's protections anew. Install and generated migrations run it before any change.
 */
export async function refuseUnrecordedSoftDeletes(
  client: pg.ClientBase, schema: string, tracked: readonly TrackedTableSpec[], protections: readonly ProtectedTableSpec[],
  registry: ReadonlyMap<string, Pick<RegistryRow, 'excluded' | 'ignored'>>,
): Promise<void> {
  const histories = historiesOf(tracked);
  const softDeletes = softDeletesOf(protections);
  for (const { table } of softDeletes) {
    const row = registry.get(table);
    if (!histories.has(table) && row) histories.set(table, { exclude: row.excluded ?? [], ignoreChanges: row.ignored ?? [] });
  }
  const declared = new Set(protections.map((p) => `${p.schema}.${p.table}`));
  const candidates = tracked.filter((t) => !declared.has(`${t.schema}.${t.table}`) && t.exclude.length + t.ignoreChanges.length > 0);
  if (candidates.length > 0) {
    // one catalog read for every such table: the soft delete functions their protection triggers run
    const { rows } = await client.query<{ table: string; trigger: string; body: string }>(
      `SELECT s.name AS table, t.tgname AS trigger, p.prosrc AS body
       FROM unnest($1::text[], $2::text[]) AS s(name, qualified)
         JOIN pg_trigger t ON t.tgrelid = to_regclass(s.qualified) JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = $3 AND starts_with(t.tgname, $4) AND p.prosrc LIKE '%soft delete%' AND p.prosrc LIKE '%UPDATE ONLY %'`,
      [candidates.map((t) => `${t.schema}.${t.table}`), candidates.map((t) => qualified(t.schema, t.table)), schema, PROTECTION_TRIGGER_PREFIX],
    );
    for (const { table, trigger, body } of rows) {
      const history = histories.get(table)!;
      const field = [...history.exclude, ...history.ignoreChanges].find((c) => body.includes(`SET ${quoteIdent(c)} = `));
      if (field !== undefined) softDeletes.push({ table, protection: `the soft delete of trigger ${trigger}`, field });
    }
  }
  refuse(softDeletes, histories);
}
