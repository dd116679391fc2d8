import { quoteIdent } from '../ddl/quote.js';

/**
 * The PL/pgSQL block of a versioned field's increment (a BEFORE UPDATE row
 * trigger without WHEN). It decides itself whether the update changes
 * anything, rather than in the trigger's WHEN, because PostgreSQL refuses a
 * BEFORE trigger's WHEN that references NEW's stored generated columns, and
 * to_jsonb(NEW) references them all; the generator does not know which
 * columns are generated, so the catalog tells. A redundant update (no column
 * differs) does not bump; generated columns are left out of the comparison
 * (a BEFORE trigger sees them before PostgreSQL computes them, so they say
 * nothing about the write). The catalog is read only when the row's values
 * differ, and the ignore check runs only for a real change, as when the WHEN
 * made that decision.
 */
export function versionedBumpBlock(field: string, passWhenIgnored: string): string {
  const f = quoteIdent(field);
  return `DECLARE
  old_row jsonb := to_jsonb(OLD);
  new_row jsonb := to_jsonb(NEW);
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
${passWhenIgnored}
  NEW.${f} := coalesce(OLD.${f}, 0) + 1;
  RETURN NEW;
END`;
}
