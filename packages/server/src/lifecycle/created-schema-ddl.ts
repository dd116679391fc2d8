import { randomUUID } from 'node:crypto';
import { dollarQuote } from '../ddl/dollar-quote.js';
import { quoteIdent, quoteLiteral } from '../ddl/quote.js';

/**
 * The up and down of a migration planned against a database without the Rowtrail schema. Up creates the schema only
 * where it is still missing when the migration runs, and marks it with a comment naming this migration; down drops
 * only a schema carrying that mark. A schema up found already there (installed at runtime in between, or created by
 * another migration generated from the same state) is not this migration's to drop: down keeps it, with a warning.
 */
export function createdSchemaDdl(schema: string, mark: string = randomUUID()): { up: string[]; down: string[] } {
  const s = quoteIdent(schema);
  const comment = `Rowtrail: created by the migration marked ${mark}; its down drops this schema`;
  const up = `DO ${dollarQuote(`
BEGIN
  IF to_regnamespace(${quoteLiteral(s)}) IS NULL THEN
    CREATE SCHEMA ${s};
    COMMENT ON SCHEMA ${s} IS ${quoteLiteral(comment)};
  END IF;
END
`, 'rowtrail_schema')}`;
  const down = `DO ${dollarQuote(`
DECLARE
  dependents text;
BEGIN
  IF to_regnamespace(${quoteLiteral(s)}) IS NULL THEN
    RETURN; -- dropped already: nothing to undo
  END IF;
  IF obj_description(to_regnamespace(${quoteLiteral(s)}), 'pg_namespace') IS DISTINCT FROM ${quoteLiteral(comment)} THEN
    RAISE WARNING 'rowtrail: this migration''s down keeps schema %: it does not carry this migration''s mark, so this migration''s up did not create it (it was there when up ran)', ${quoteLiteral(schema)}
      USING DETAIL = 'The schema, its history and what up installed (capture and protection triggers on your tables) stay.',
        HINT = 'Remove what should go with rowtrail untrack, prune or uninstall.';
    RETURN;
  END IF;
${dependentsQuery(s)}
  IF dependents IS NOT NULL THEN
    RAISE EXCEPTION 'rowtrail: this migration''s down would drop schema % with all its history, and with it % (objects of others that depend on it); drop or change them first. Nothing was dropped', ${quoteLiteral(schema)}, dependents
      USING ERRCODE = 'dependent_objects_still_exist';
  END IF;
  DROP SCHEMA ${s} CASCADE;
END
`, 'rowtrail_schema')}`;
  return { up: [up, `CREATE TABLE IF NOT EXISTS ${s}.migrations (id integer PRIMARY KEY, name text NOT NULL, hash text NOT NULL, installed_at timestamptz NOT NULL DEFAULT clock_timestamp())`], down: [down] };
}

/**
 * Objects outside the schema that depend on one inside it. Unlike uninstall's check (install/removal-plan.ts), which
 * tells Rowtrail's objects from others' in a schema that may hold both, everything in a schema this migration created
 * and marked goes with it: only what lies outside counts (an application's view over rowtrail.event, a foreign key
 * to a history table, a column of a type kept there): DROP SCHEMA … CASCADE would drop them too. The triggers that run
 * the schema's functions (captures and protections on tracked tables) go with the schema as they should, and so do the
 * parts of the schema's own tables (their rules, defaults, constraints).
 */
function dependentsQuery(s: string): string {
  return `  WITH inside (classid, objid) AS (
    SELECT 'pg_class'::regclass, c.oid FROM pg_class c WHERE c.relnamespace = to_regnamespace(${quoteLiteral(s)})
    UNION ALL SELECT 'pg_proc'::regclass, p.oid FROM pg_proc p WHERE p.pronamespace = to_regnamespace(${quoteLiteral(s)})
    UNION ALL SELECT 'pg_type'::regclass, t.oid FROM pg_type t WHERE t.typnamespace = to_regnamespace(${quoteLiteral(s)})
  ), tables AS (SELECT objid FROM inside WHERE classid = 'pg_class'::regclass)
  SELECT string_agg(DISTINCT pg_describe_object(d.classid, d.objid, 0), ', ') INTO dependents
  FROM pg_depend d JOIN inside i ON d.refclassid = i.classid AND d.refobjid = i.objid
  WHERE d.deptype = 'n'
    AND NOT EXISTS (SELECT FROM inside o WHERE o.classid = d.classid AND o.objid = d.objid)
    AND NOT (d.classid = 'pg_trigger'::regclass AND EXISTS (SELECT FROM pg_trigger t JOIN inside f ON f.classid = 'pg_proc'::regclass AND f.objid = t.tgfoid WHERE t.oid = d.objid))
    AND NOT (d.classid = 'pg_rewrite'::regclass AND EXISTS (SELECT FROM pg_rewrite r WHERE r.oid = d.objid AND r.ev_class IN (SELECT objid FROM tables)))
    AND NOT (d.classid = 'pg_attrdef'::regclass AND EXISTS (SELECT FROM pg_attrdef a WHERE a.oid = d.objid AND a.adrelid IN (SELECT objid FROM tables)))
    AND NOT (d.classid = 'pg_constraint'::regclass AND EXISTS (SELECT FROM pg_constraint c WHERE c.oid = d.objid AND c.conrelid IN (SELECT objid FROM tables)));`;
}
