import { ANY_CAPTURE_TRIGGER_NAMES } from './capture-ddl.js';
import { dollarQuote } from './dollar-quote.js';
import { qualified, quoteLiteral } from './quote.js';
import type { TrackedTableSpec } from './tracked-table-spec.js';

/**
 * What a generated migration runs before a table's capture: install's per-table tracking lock (install-lock.ts), then
 * install's refusal of a table another Rowtrail installation captures, checked again where the migration runs (the
 * database it was generated against may have differed, or an install into another schema may have run since).
 * Without them its DROP TRIGGER IF EXISTS and CREATE TRIGGER would take that installation's capture over.
 */
/**
 * Install's per-table tracking lock (install-lock.ts), as SQL: advisory, keyed by the table whatever the Rowtrail
 * schema, released at commit or rollback.
 */
export function trackedTableLock(spec: Pick<TrackedTableSpec, 'schema' | 'table'>): string {
  return `SELECT pg_advisory_xact_lock(hashtext('rowtrail.track'), hashtext(${quoteLiteral(JSON.stringify([spec.schema, spec.table]))}))`;
}

export function trackedElsewhereGuard(spec: Pick<TrackedTableSpec, 'schema' | 'table'>, rowtrailSchema: string): string[] {
  const table = `${spec.schema}.${spec.table}`;
  const names = `ARRAY[${ANY_CAPTURE_TRIGGER_NAMES.map(quoteLiteral).join(', ')}]::text[]`;
  return [
    trackedTableLock(spec),
    `DO ${dollarQuote(`
DECLARE
  elsewhere text;
BEGIN
  SELECT string_agg(DISTINCT format('"%s"', n.nspname), ', ') INTO elsewhere
  FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE t.tgrelid = to_regclass(${quoteLiteral(qualified(spec.schema, spec.table))}) AND t.tgname = ANY(${names}) AND n.nspname <> ${quoteLiteral(rowtrailSchema)};
  IF elsewhere IS NOT NULL THEN
    RAISE EXCEPTION 'Rowtrail: cannot track table % in schema "%": its capture triggers write to the Rowtrail installation in schema %, and a table can be tracked by one installation', ${quoteLiteral(table)}, ${quoteLiteral(rowtrailSchema)}, elsewhere
      USING ERRCODE = 'object_in_use', HINT = 'Remove its capture there first (uninstall that installation, or drop the table''s rowtrail_capture_* and rowtrail_truncate_capture triggers).';
  END IF;
END
`)}`,
  ];
}
