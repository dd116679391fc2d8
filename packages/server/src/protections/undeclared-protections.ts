import type pg from 'pg';
import { qualified, quoteIdent } from '../ddl/quote.js';
import { PROTECTION_TRIGGER_PREFIX } from './protection-names.js';
import { HASH_COMMENT_PREFIX, type TriggerGroupDdl } from './trigger-group.js';

/** A protection trigger left on a table by a protection its declaration no longer has (renamed or removed). */
export interface UndeclaredProtection {
  schema: string;
  table: string;
  trigger: string;
  /** The trigger and the generated function it ran (when no other trigger runs it), dropped in that order. */
  statements: string[];
}

/**
 * Protection triggers (`rowtrail_protect_…`) on the tables these groups protect that none of the groups creates: a
 * protection renamed or removed from a table that still declares others would otherwise keep refusing writes (and
 * ignore() under its new name would not reach it). Tables that declare no protection at all are prune's (their
 * declaration may simply not have been passed).
 */
export async function undeclaredProtections(client: pg.ClientBase, groups: readonly TriggerGroupDdl[], rowtrailSchema: string): Promise<UndeclaredProtection[]> {
  const tables = [...new Map(groups.map((g) => [`${g.schema}.${g.table}`, { schema: g.schema, table: g.table }])).values()];
  if (tables.length === 0) return [];
  // a group's stale triggers (its earlier definition's) are the group's to drop, and its migration's down to restore
  const declared = groups.flatMap((g) => [...g.triggers, ...g.staleTriggers].map((t) => JSON.stringify([g.schema, g.table, t])));
  const { rows } = await client.query<{ schema: string; table: string; trigger: string; fn: string | null }>(
    `SELECT n.nspname AS schema, c.relname AS table, t.tgname AS trigger,
       -- its function, when generated for a protection (commented with its hash) and run by no other trigger
       CASE WHEN obj_description(p.oid, 'pg_proc') LIKE $4
         AND NOT EXISTS (SELECT FROM pg_trigger o WHERE o.tgfoid = p.oid AND o.oid <> t.oid)
         THEN format('%I.%I(%s)', pn.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) END AS fn
     FROM jsonb_to_recordset($1::jsonb) AS d(schema text, "table" text)
     JOIN pg_namespace n ON n.nspname = d.schema JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = d."table"
     -- not a partition's trigger cloned from its parent's (it goes with that one)
     JOIN pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal AND t.tgparentid = 0 AND starts_with(t.tgname, $2)
     -- only this installation's: one whose function lives in another Rowtrail schema is that installation's
     JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace AND pn.nspname = $3
     ORDER BY 1, 2, 3`,
    [JSON.stringify(tables), PROTECTION_TRIGGER_PREFIX, rowtrailSchema, `${HASH_COMMENT_PREFIX}%`],
  );
  const declaredSet = new Set(declared);
  return rows.filter((r) => !declaredSet.has(JSON.stringify([r.schema, r.table, r.trigger]))).map((r) => ({
    schema: r.schema, table: r.table, trigger: r.trigger,
    statements: [`DROP TRIGGER IF EXISTS ${quoteIdent(r.trigger)} ON ${qualified(r.schema, r.table)}`, ...(r.fn ? [`DROP FUNCTION IF EXISTS ${r.fn}`] : [])],
  }));
}
