import { buildDropCaptureDdl } from '../ddl/capture-ddl.js';
import { quoteIdent } from '../ddl/quote.js';
import { inTransaction, type Queryable } from './database-client.js';
import { lockInstall } from './install-lock.js';
import { assertRemovableSchema } from './rowtrail-schema-guard.js';

/**
 * Removes Rowtrail: capture triggers from every tracked table, then the
 * Rowtrail schema with all history in it. One transaction. Refuses a schema that is not a Rowtrail
 * installation or that holds relations Rowtrail did not create; a schema that does not exist is nothing to do.
 */
export async function uninstall(db: Queryable, options: { schema?: string } = {}): Promise<{ removedTables: string[] }> {
  const schema = options.schema ?? 'rowtrail';
  return inTransaction(db, async (client) => {
    await lockInstall(client, schema);
    if ((await client.query(`SELECT to_regnamespace($1) AS n`, [quoteIdent(schema)])).rows[0].n === null) return { removedTables: [] };
    await assertRemovableSchema(client, schema);
    const removedTables: string[] = [];
    const { rows } = await client.query<{ table_name: string; present: boolean }>(
      `SELECT table_name, to_regclass(format('%I.%I', split_part(table_name, '.', 1), substr(table_name, strpos(table_name, '.') + 1))) IS NOT NULL AS present
       FROM ${quoteIdent(schema)}.tracked_table`,
    );
    for (const row of rows) {
      if (!row.present) continue;
      const dot = row.table_name.indexOf('.');
      for (const statement of buildDropCaptureDdl({ schema: row.table_name.slice(0, dot), table: row.table_name.slice(dot + 1) })) {
        await client.query(statement);
      }
      removedTables.push(row.table_name);
    }
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    return { removedTables };
  });
}
