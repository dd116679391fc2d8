import { jsonToJsonb } from '../ddl/json-expressions.js';
import { quoteIdent } from '../ddl/quote.js';

/** The versioned field's next value, from its value `current` (NULL counts as 0). versionedFieldCheck types it at install. */
export function versionedIncrement(current: string): string {
  // pg_catalog's +: a numeric field has no exact numeric + integer there, and one of another schema would be taken
  return `coalesce(${current}, 0) OPERATOR(pg_catalog.+) 1`;
}

/**
 * The PL/pgSQL block of a versioned field's increment (a BEFORE UPDATE row trigger). With `comparesRow`, the
 * trigger has no WHEN and the block decides itself whether the update changes anything: the spec did not list
 * the table's columns, and PostgreSQL refuses a BEFORE trigger's WHEN that references NEW's stored generated
 * columns (to_jsonb(NEW) references them all), so the catalog tells which ones to leave out (a BEFORE trigger
 * sees them before PostgreSQL computes them, so they say nothing about the write). A redundant update (no
 * column differs) does not bump; the catalog is read only when the row's values differ, and the ignore check
 * runs only for a real change, as when a WHEN made that decision. Rows are compared as jsonb the way the capture
 * converts json values (jsonToJsonb), so a json value jsonb cannot hold (\u0000) does not make every update fail.
 */
export function versionedBumpBlock(field: string, passWhenIgnored: string, comparesRow: boolean, rowtrailSchema: string): string {
  const f = quoteIdent(field);
  const bump = `${passWhenIgnored}
  NEW.${f} := ${versionedIncrement(`OLD.${f}`)};
  RETURN NEW;
END`;
  if (!comparesRow) return `BEGIN\n${bump}`;
  return `DECLARE
  old_row jsonb := ${jsonToJsonb(rowtrailSchema, 'pg_catalog.to_json(OLD)', 'pg_catalog.to_jsonb(OLD)')};
  new_row jsonb := ${jsonToJsonb(rowtrailSchema, 'pg_catalog.to_json(NEW)', 'pg_catalog.to_jsonb(NEW)')};
BEGIN
  IF old_row = new_row OR NOT EXISTS (
    SELECT FROM jsonb_each(new_row) AS n(name, value)
    WHERE n.value IS DISTINCT FROM old_row -> n.name
      AND NOT EXISTS (
        SELECT FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = TG_RELID AND a.attname = n.name AND a.attgenerated <> ''
      )
  ) THEN
    RETURN NEW;
  END IF;
${bump}`;
}
