import type pg from 'pg';
import { quoteIdent } from '../ddl/quote.js';
import { historyTablesInSchema } from '../lifecycle/history-tables.js';

/** The relations the core SQL files and the installer create in a Rowtrail schema (history tables come on top). */
const CORE_RELATIONS = ['context', 'diff', 'event', 'event_id_seq', 'maintenance_log', 'maintenance_log_id_seq', 'migrations', 'tracked_table'];

/**
 * Refuses a schema Rowtrail cannot have to itself, before anything is created in it: `public` and the system
 * schemas (an application's tables live there, TypeORM keeps its own `migrations` table in `public`, and
 * `uninstall` drops the whole schema), and an existing schema that already holds tables, views or sequences
 * and is not a Rowtrail installation. An empty schema (created ahead, say, to grant on it) is fine.
 */
export async function assertInstallableSchema(client: pg.ClientBase, schema: string): Promise<void> {
  // an installation made before this check (in public, say) is upgraded as it is
  if (await isRowtrailInstallation(client, schema)) return;
  if (schema === 'public' || schema === 'information_schema' || schema.startsWith('pg_')) {
    throw new Error(`Rowtrail: cannot install into schema "${schema}": Rowtrail needs a schema of its own (its tables, and uninstall drops the whole schema); use the default "rowtrail" or another new schema`);
  }
  const present = await relationsIn(client, schema);
  if (present.length > 0) {
    throw new Error(`Rowtrail: cannot install into schema "${schema}": it already holds ${describe(present)} and is not a Rowtrail installation; Rowtrail needs a schema of its own (uninstall drops the whole schema)`);
  }
}

/**
 * Refuses to drop a schema that is not a Rowtrail installation, or one that also holds relations Rowtrail did not
 * create there (DROP SCHEMA … CASCADE would take them with it). Call it only for a schema that exists.
 */
export async function assertRemovableSchema(client: pg.ClientBase, schema: string): Promise<void> {
  if (!await isRowtrailInstallation(client, schema)) {
    throw new Error(`Rowtrail: schema "${schema}" is not a Rowtrail installation (it has no Rowtrail migrations and tracked_table registry): nothing was removed`);
  }
  const registered = (await client.query<{ name: string }>(`SELECT snapshot_table AS name FROM ${quoteIdent(schema)}.tracked_table`)).rows.map((r) => r.name);
  const ours = new Set([...CORE_RELATIONS, ...registered, ...await historyTablesInSchema(client, schema)]);
  const foreign = (await relationsIn(client, schema)).filter((r) => !ours.has(r.name));
  if (foreign.length > 0) {
    throw new Error(`Rowtrail: will not remove schema "${schema}": besides Rowtrail's objects it holds ${describe(foreign)}, which uninstall would drop with it; move or drop them first. Nothing was removed`);
  }
}

/** A schema whose migrations table is Rowtrail's (it has the hash column) and that has the tracked_table registry. */
async function isRowtrailInstallation(client: pg.ClientBase, schema: string): Promise<boolean> {
  const s = quoteIdent(schema);
  const { rows } = await client.query<{ ours: boolean }>(
    `SELECT to_regclass($1) IS NOT NULL AND EXISTS (
       SELECT FROM pg_attribute a WHERE a.attrelid = to_regclass($2) AND a.attname = 'hash' AND NOT a.attisdropped) AS ours`,
    [`${s}.tracked_table`, `${s}.migrations`],
  );
  return rows[0].ours;
}

interface Relation { name: string; kind: string }

/** Tables, views, sequences and foreign tables of a schema (indexes and sequences belong to their tables). */
async function relationsIn(client: pg.ClientBase, schema: string): Promise<Relation[]> {
  const { rows } = await client.query<Relation>(
    `SELECT c.relname AS name, CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
       WHEN 'f' THEN 'foreign table' ELSE 'table' END AS kind
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       -- a sequence owned by a column (serial, identity) goes with its table
       AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
     ORDER BY c.relname`,
    [schema],
  );
  return rows;
}

function describe(relations: Relation[]): string {
  const shown = relations.slice(0, 5).map((r) => `${r.kind} ${r.name}`).join(', ');
  return relations.length > 5 ? `${shown} and ${relations.length - 5} more` : shown;
}
