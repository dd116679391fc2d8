import type pg from 'pg';
import { quoteIdent } from '../ddl/quote.js';
import { describeObjects, objectsIn } from './schema-objects.js';

/**
 * Refuses a schema Rowtrail cannot have to itself, before anything is created in it: `public` and the system
 * schemas (an application's tables live there, TypeORM keeps its own `migrations` table in `public`, and
 * `uninstall` drops a schema that holds only Rowtrail's objects whole), and an existing schema that already holds
 * anything (tables, types, functions…) and is not a Rowtrail installation. An empty schema (created ahead, say, to
 * grant on it) is fine.
 */
export async function assertInstallableSchema(client: pg.ClientBase, schema: string): Promise<void> {
  // an installation made before this check (in public, say) is upgraded as it is
  if (await isRowtrailInstallation(client, schema)) return;
  if (schema === 'public' || schema === 'information_schema' || schema.startsWith('pg_')) {
    throw new Error(`Rowtrail: cannot install into schema "${schema}": Rowtrail needs a schema of its own; use the default "rowtrail" or another new schema`);
  }
  const present = await objectsIn(client, schema);
  if (present.length > 0) {
    throw new Error(`Rowtrail: cannot install into schema "${schema}": it already holds ${describeObjects(present)} and is not a Rowtrail installation; Rowtrail needs a schema of its own`);
  }
}

/** A schema whose migrations table is Rowtrail's (it has the hash column) and that has the tracked_table registry. */
export async function isRowtrailInstallation(client: pg.ClientBase, schema: string): Promise<boolean> {
  const s = quoteIdent(schema);
  const { rows } = await client.query<{ ours: boolean }>(
    `SELECT to_regclass($1) IS NOT NULL AND EXISTS (
       SELECT FROM pg_attribute a WHERE a.attrelid = to_regclass($2) AND a.attname = 'hash' AND NOT a.attisdropped) AS ours`,
    [`${s}.tracked_table`, `${s}.migrations`],
  );
  return rows[0].ours;
}
