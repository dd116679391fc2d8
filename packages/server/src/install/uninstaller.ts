import { ANY_CAPTURE_TRIGGER_NAMES, buildDropCaptureDdl } from '../ddl/capture-ddl.js';
import { quoteIdent } from '../ddl/quote.js';
import { inTransaction, type Queryable } from './database-client.js';
import { lockInstall } from './install-lock.js';
import { planRemoval } from './removal-plan.js';
import { describeObject } from './schema-objects.js';
import { requireOptions, SCHEMA_OPTION_KINDS } from '../option-kinds.js';
import { retryingLockConflicts } from './lock-conflict-retry.js';

export interface UninstallResult {
  /** Tracked tables whose capture triggers were removed ("schema.table"); not those untracked before. */
  removedTables: string[];
  /** What the schema also held and still holds, with the schema ("type public.mood"); empty when the schema was dropped. */
  keptObjects: string[];
}

/**
 * Removes Rowtrail: capture triggers from every tracked table, then the Rowtrail schema with all history in it, in one
 * transaction. A schema that also holds objects of others (an installation an earlier version made in `public`, an
 * application's type kept in the Rowtrail schema) keeps them and stays: only Rowtrail's objects are dropped. Refuses,
 * removing nothing, a schema that is not a Rowtrail installation and one whose objects others depend on (see
 * planRemoval); a schema that does not exist is nothing to do.
 */
export async function uninstall(db: Queryable, options: { schema?: string } = {}): Promise<UninstallResult> {
  requireOptions(options, 'uninstall', { schema: SCHEMA_OPTION_KINDS.schema });
  const schema = options.schema ?? 'rowtrail';
  return retryingLockConflicts(db, () => inTransaction(db, async (client) => {
    await lockInstall(client, schema);
    if ((await client.query(`SELECT to_regnamespace($1) AS n`, [quoteIdent(schema)])).rows[0].n === null) return { removedTables: [], keptObjects: [] };
    const plan = await planRemoval(client, schema);
    const removedTables: string[] = [];
    // the tables that still have capture triggers (not one untracked earlier, whose registry row stays with its history)
    const { rows } = await client.query<{ table_name: string; present: boolean }>(
      `SELECT t.table_name, EXISTS (SELECT FROM pg_trigger g WHERE g.tgrelid = r.oid AND g.tgname = ANY($1::text[])) AS present
       FROM ${quoteIdent(schema)}.tracked_table t
       CROSS JOIN LATERAL (SELECT to_regclass(format('%I.%I', split_part(t.table_name, '.', 1), substr(t.table_name, strpos(t.table_name, '.') + 1))) AS oid) r
       ORDER BY t.table_name`, [ANY_CAPTURE_TRIGGER_NAMES],
    );
    for (const row of rows) {
      if (!row.present) continue;
      const dot = row.table_name.indexOf('.');
      for (const statement of buildDropCaptureDdl({ schema: row.table_name.slice(0, dot), table: row.table_name.slice(dot + 1) })) {
        await client.query(statement);
      }
      removedTables.push(row.table_name);
    }
    if (plan.dropSchema) {
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    } else {
      for (const statement of plan.drops) await client.query(statement);
    }
    return { removedTables, keptObjects: plan.kept.map(describeObject) };
  }));
}
