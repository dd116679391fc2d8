import type pg from 'pg';
import { ANY_CAPTURE_TRIGGER_NAMES, CAPTURE_FUNCTION_SUFFIXES } from '../ddl/capture-ddl.js';
import { identifierName } from '../ddl/identifier-name.js';
import { quoteIdent } from '../ddl/quote.js';
import { coreFunctionSignatures } from '../lifecycle/core-functions.js';
import { historyTablesInSchema } from '../lifecycle/history-tables.js';
import { HASH_COMMENT_PREFIX } from '../protections/trigger-group.js';
import { PROTECTION_TRIGGER_PREFIX } from '../protections/protection-names.js';
import { isRowtrailInstallation } from './rowtrail-schema-guard.js';
import { describeObjects, objectsIn, type SchemaObject } from './schema-objects.js';
import { loadSqlMigrations } from './sql-files.js';

/** The relations the core SQL files create in a Rowtrail schema (history tables come on top). */
const CORE_RELATIONS = ['context', 'declaration', 'diff', 'event', 'event_id_seq', 'maintenance_log', 'maintenance_log_id_seq', 'migrations', 'tracked_table'];

export interface RemovalPlan {
  /** Nothing but Rowtrail's objects is in the schema: drop it whole. Otherwise `drops` removes them one by one. */
  dropSchema: boolean;
  /** DROP statements of Rowtrail's own tables, views, sequences and functions in the schema. */
  drops: string[];
  /** What the schema holds besides (left in place, with the schema). */
  kept: SchemaObject[];
}

/**
 * What uninstalling a Rowtrail installation removes: its core tables, views and sequences, its history tables, the
 * functions of its core SQL files and the trigger functions it generated (captures, named after their history tables;
 * protections, commented with their hash), with their parts (indexes, row types, owned sequences) and the triggers
 * that run them on tracked tables. Refuses, removing nothing, a schema that is not a Rowtrail installation, and one
 * with objects of others depending on Rowtrail's: an application's view over rowtrail.event, a foreign key to a
 * Rowtrail table, a column default calling its sequence or a column of a type kept there would go with them.
 */
export async function planRemoval(client: pg.ClientBase, schema: string): Promise<RemovalPlan> {
  if (!await isRowtrailInstallation(client, schema)) {
    throw new Error(`Rowtrail: schema "${schema}" is not a Rowtrail installation (it has no Rowtrail migrations and tracked_table registry): nothing was removed`);
  }
  const registered = (await client.query<{ name: string }>(`SELECT snapshot_table AS name FROM ${quoteIdent(schema)}.tracked_table`)).rows.map((r) => r.name);
  const histories = [...new Set([...registered, ...await historyTablesInSchema(client, schema)])];
  const params = [
    schema, [...CORE_RELATIONS, ...histories],
    coreFunctionSignatures(schema, loadSqlMigrations()),
    histories.flatMap((h) => CAPTURE_FUNCTION_SUFFIXES.map((suffix) => identifierName(h, suffix))),
    `${HASH_COMMENT_PREFIX}%`,
  ];
  const dependents = (await client.query<SchemaObject>(`${OURS}
     , dependents AS (
       SELECT DISTINCT d.classid, d.objid, d.objsubid FROM pg_depend d JOIN ours i ON d.refclassid = i.classid AND d.refobjid = i.objid
       WHERE NOT EXISTS (SELECT FROM ours o WHERE o.classid = d.classid AND o.objid = d.objid)
     )
     SELECT coalesce(v.kind, o.type) AS kind, coalesce(v.identity, o.identity) AS identity
     FROM dependents d CROSS JOIN LATERAL pg_identify_object(d.classid, d.objid, d.objsubid) o
     -- a view's rule: name the view
     LEFT JOIN LATERAL (SELECT r.type AS kind, r.identity FROM pg_rewrite w CROSS JOIN LATERAL pg_identify_object('pg_class'::regclass, w.ev_class, 0) r
                        WHERE d.classid = 'pg_rewrite'::regclass AND w.oid = d.objid) v ON true
     -- Rowtrail's triggers on tracked tables: uninstalling removes them
     WHERE NOT (d.classid = 'pg_trigger'::regclass AND EXISTS (SELECT FROM pg_trigger t WHERE t.oid = d.objid
       AND (t.tgname = ANY($6::text[]) OR starts_with(t.tgname, $7))))
     ORDER BY 1, 2`, [...params, ANY_CAPTURE_TRIGGER_NAMES, PROTECTION_TRIGGER_PREFIX])).rows;
  if (dependents.length > 0) {
    const one = dependents.length === 1;
    throw new Error(`Rowtrail: will not uninstall from schema "${schema}": ${describeObjects(dependents)} ${one ? 'depends' : 'depend'} on Rowtrail's objects there, and uninstalling would drop or change ${one ? 'it' : 'them'} with them; drop or change ${one ? 'it' : 'them'} first. Nothing was removed`);
  }
  const { rows: roots } = await client.query<{ drop: string; identity: string }>(`${OURS}
     SELECT CASE WHEN r.classid = 'pg_proc'::regclass THEN format('DROP FUNCTION IF EXISTS %s CASCADE', o.identity)
       ELSE format('DROP %s IF EXISTS %s CASCADE', CASE o.type WHEN 'view' THEN 'VIEW' WHEN 'sequence' THEN 'SEQUENCE' ELSE 'TABLE' END, o.identity) END AS drop,
       o.identity
     FROM roots r CROSS JOIN LATERAL pg_identify_object(r.classid, r.objid, 0) o
     ORDER BY o.type = 'view' DESC, r.classid = 'pg_proc'::regclass, o.identity`, params);
  const ours = new Set(roots.map((r) => r.identity));
  const kept = (await objectsIn(client, schema)).filter((o) => !ours.has(o.identity));
  return { dropSchema: kept.length === 0, drops: roots.map((r) => r.drop), kept };
}

/**
 * Rowtrail's objects in schema $1 ("roots": relations named $2, functions of signatures $3, trigger functions named $4
 * or commented $5) and everything that is part of one, through internal dependencies (a TOAST table, an array type) and
 * automatic ones within the schema (an index, a rule, a trigger on a history table, a sequence a column owns), not a
 * sequence elsewhere that one of its columns owns.
 */
const OURS = `WITH RECURSIVE roots (classid, objid) AS (
    SELECT 'pg_class'::regclass, c.oid FROM pg_class c
    WHERE c.relnamespace = to_regnamespace(quote_ident($1)) AND c.relname = ANY($2::text[]) AND c.relkind IN ('r', 'p', 'v', 'S')
    UNION ALL
    SELECT 'pg_proc'::regclass, p.oid FROM pg_proc p
    WHERE p.pronamespace = to_regnamespace(quote_ident($1))
      AND (p.oid IN (SELECT to_regprocedure(signature) FROM unnest($3::text[]) AS signature)
        OR (p.prorettype = 'trigger'::regtype AND p.pronargs = 0 AND (p.proname = ANY($4::text[]) OR obj_description(p.oid, 'pg_proc') LIKE $5)))
  ), ours (classid, objid) AS (
    SELECT classid, objid FROM roots
    UNION
    SELECT d.classid, d.objid FROM pg_depend d JOIN ours i ON d.refclassid = i.classid AND d.refobjid = i.objid
    WHERE d.deptype = 'i' OR (d.deptype = 'a' AND coalesce((pg_identify_object(d.classid, d.objid, 0)).schema, quote_ident($1)) IN (quote_ident($1), 'pg_toast'))
  )`;
