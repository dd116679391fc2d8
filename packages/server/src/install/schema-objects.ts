import type pg from 'pg';

/** A database object named for messages: its kind and qualified identity, as pg_identify_object() gives them. */
export interface SchemaObject { kind: string; identity: string }

/**
 * Every object of a schema that DROP SCHEMA … CASCADE would drop as one of the schema's own: tables, views, sequences,
 * functions, types, extensions, operators… Not the parts of another (an index, a table's row type, a sequence a column
 * of the schema owns, an extension's members), which go with it.
 */
export async function objectsIn(client: pg.ClientBase, schema: string): Promise<SchemaObject[]> {
  const { rows } = await client.query<SchemaObject>(
    `SELECT o.type AS kind, o.identity FROM pg_depend d CROSS JOIN LATERAL pg_identify_object(d.classid, d.objid, d.objsubid) o
     WHERE d.refclassid = 'pg_namespace'::regclass AND d.refobjid = to_regnamespace(quote_ident($1))
       AND NOT EXISTS (SELECT FROM pg_depend p WHERE p.classid = d.classid AND p.objid = d.objid AND (p.deptype IN ('i', 'e')
         -- a part of another object of the schema (a sequence a column owns), not a partition of a table elsewhere
         OR (p.deptype = 'a' AND (pg_identify_object(p.refclassid, p.refobjid, 0)).schema = quote_ident($1))))
     ORDER BY 1, 2`,
    [schema],
  );
  return rows;
}

/** "type public.mood" */
export const describeObject = (o: SchemaObject): string => `${o.kind} ${o.identity}`;

/** The first five objects, described, and how many more. */
export function describeObjects(objects: readonly SchemaObject[]): string {
  const shown = objects.slice(0, 5).map(describeObject).join(', ');
  return objects.length > 5 ? `${shown} and ${objects.length - 5} more` : shown;
}
