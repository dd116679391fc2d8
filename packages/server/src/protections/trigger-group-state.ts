import type pg from 'pg';
import { InstallStatementError } from '../install/statement-error.js';
import { qualified } from '../ddl/quote.js';
import { disabledDetail, disabledTriggers } from '../lifecycle/disabled-triggers.js';
import { changedFunctions, changedFunctionsDetail } from '../lifecycle/function-bodies.js';
import { missingFields, missingFieldsMessage, refuseMissingFields } from './missing-fields.js';
import { protectionElsewhereDetail, protectionElsewhereError, type TriggerElsewhere } from './protection-elsewhere.js';
import { HASH_COMMENT_PREFIX, type TriggerGroupDdl } from './trigger-group.js';

export type GroupState = 'installed' | 'outdated' | 'missing';

/**
 * Compares a group with the database: missing when none of its triggers
 * exist, installed when all exist and carry its hash (functions too), no
 * stale trigger or function of its name is left, every trigger fires and
 * every generated function has the body Rowtrail generated; outdated
 * otherwise, with a detail naming the trigger or function changed by hand,
 * the columns the protection names that the table no longer has, or the
 * trigger of its name another Rowtrail installation has on the table.
 */
export async function triggerGroupStatus(client: pg.ClientBase, group: TriggerGroupDdl, missing?: string[]): Promise<{ state: GroupState; detail?: string }> {
  const { state, detail } = await groupStatus(client, group, missing);
  return detail ? { state, detail } : { state };
}

/** triggerGroupStatus, with the triggers of the group's names that another installation has (for install's refusal). */
async function groupStatus(client: pg.ClientBase, group: TriggerGroupDdl, missing?: string[]): Promise<{ state: GroupState; detail?: string; elsewhere: TriggerElsewhere[] }> {
  const { state, elsewhere } = await definitionState(client, group);
  if (state === 'missing') return { state, elsewhere };
  const table = `${group.schema}.${group.table}`;
  // another installation's protection of the same name: not this one's, whatever its hash and body
  const foreign = elsewhere.length > 0 ? protectionElsewhereDetail(group, elsewhere) : undefined;
  // a disabled trigger, or a function body replaced by hand, keeps its hash comment but protects nothing
  const disabled = disabledDetail(table, await disabledTriggers(client, qualified(group.schema, group.table), group.triggers));
  // bodies are compared only when the comments say installed: otherwise the definition changed anyway
  const changed = state === 'installed' ? changedFunctionsDetail(table, await changedFunctions(client, group.statements)) : undefined;
  // renamed or dropped since: the triggers' arguments and functions still name them, and fail every write they handle
  const absent = missing ?? await missingFields(client, group);
  const renamed = absent.length > 0 ? missingFieldsMessage(group, absent) : undefined;
  // a cascading foreign key added since: outdated, so install runs the group's statements, whose check refuses it
  const cascading = group.kind === 'soft_delete' ? await cascadingForeignKeyDetail(client, group) : undefined;
  const detail = [foreign, disabled, changed, renamed, cascading].filter((d) => d !== undefined).join('; ');
  return detail ? { state: 'outdated', detail, elsewhere } : { state, elsewhere };
}

/**
 * The group's state from its hash comments: presence, hash, stale triggers and functions; and, for a protection's
 * group, the triggers of its names that run a function of another Rowtrail schema, which make it outdated.
 */
async function definitionState(client: pg.ClientBase, group: TriggerGroupDdl): Promise<{ state: GroupState; elsewhere: TriggerElsewhere[] }> {
  const { rows: all } = await client.query<{ tgname: string; comment: string | null; schema: string }>(
    `SELECT t.tgname, obj_description(t.oid, 'pg_trigger') AS comment, n.nspname AS schema
     FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE t.tgrelid = to_regclass($1) AND t.tgname = ANY($2::text[]) ORDER BY 1`,
    [qualified(group.schema, group.table), [...group.triggers, ...group.staleTriggers]],
  );
  const own = group.rowtrailSchema;
  const elsewhere = own === undefined ? [] : all.filter((r) => r.schema !== own).map((r) => ({ trigger: r.tgname, schema: r.schema }));
  const state = await hashState(client, group, all);
  return { state: elsewhere.length > 0 ? 'outdated' : state, elsewhere };
}

async function hashState(client: pg.ClientBase, group: TriggerGroupDdl, all: Array<{ tgname: string; comment: string | null }>): Promise<GroupState> {
  const expected = HASH_COMMENT_PREFIX + group.hash;
  const rows = all.filter((r) => group.triggers.includes(r.tgname));
  const { rows: [stale] } = await client.query<{ functions: number }>(
    `SELECT count(*)::int AS functions FROM unnest($1::text[]) AS f(signature) WHERE to_regprocedure(f.signature) IS NOT NULL`,
    [group.staleFunctions],
  );
  const staleLeft = all.length > rows.length || stale.functions > 0;
  if (rows.length === 0) return staleLeft ? 'outdated' : 'missing';
  if (staleLeft || rows.length < group.triggers.length || rows.some((r) => r.comment !== expected)) return 'outdated';
  for (const fn of group.functions) {
    const { rows: f } = await client.query<{ comment: string | null }>(
      `SELECT obj_description(to_regprocedure($1), 'pg_proc') AS comment`, [fn],
    );
    if (f[0].comment !== expected) return 'outdated';
  }
  return 'installed';
}

/**
 * Runs a group's statements unless it is already installed. Returns whether it ran. A group naming a column its table
 * does not have is refused, also when it is installed as declared (the column was renamed or dropped since); so is a
 * protection one of whose trigger names another Rowtrail installation has on the table (protection-elsewhere.ts).
 */
export async function applyTriggerGroup(client: pg.ClientBase, group: TriggerGroupDdl): Promise<boolean> {
  // missing fields are refused below, so the status need not look for them; another installation's triggers of the
  // group's names are refused here, before anything, in plain words (the statements refuse them too, for migrations)
  const { state, elsewhere } = await groupStatus(client, group, []);
  if (elsewhere.length > 0) throw protectionElsewhereError(group, group.rowtrailSchema!, elsewhere);
  await refuseMissingFields(client, group);
  if (state === 'installed') return false;
  for (const statement of group.statements) {
    try {
      await client.query(statement);
    } catch (error) {
      throw new InstallStatementError(`Rowtrail: installing protection "${group.name}" on ${group.schema}.${group.table}`, statement, error);
    }
  }
  return true;
}

/**
 * A soft-deleted table's foreign key ON DELETE CASCADE, added since the soft delete's install (which refuses one): the
 * cascade's deletes are turned into updates, leaving rows that reference a deleted row. Install refuses it too.
 */
async function cascadingForeignKeyDetail(client: pg.ClientBase, group: TriggerGroupDdl): Promise<string | undefined> {
  const { rows } = await client.query<{ conname: string }>(
    `SELECT c.conname FROM pg_catalog.pg_constraint c WHERE c.conrelid = to_regclass($1) AND c.contype = 'f' AND c.confdeltype = 'c' ORDER BY 1 LIMIT 1`,
    [qualified(group.schema, group.table)],
  );
  return rows.length === 0 ? undefined
    : `its table's foreign key ${rows[0].conname} deletes rows ON DELETE CASCADE, which the soft delete turns into updates, leaving rows that reference a deleted row: declare it ON DELETE RESTRICT, NO ACTION or SET NULL`;
}

