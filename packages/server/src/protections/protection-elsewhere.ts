import type pg from 'pg';
import { dollarQuote } from '../ddl/dollar-quote.js';
import { qualified, quoteLiteral } from '../ddl/quote.js';
import { trackedTableLock } from '../ddl/tracked-elsewhere-guard.js';

/**
 * Two Rowtrail installations (two Rowtrail schemas) in one database. A protection's trigger names
 * (rowtrail_protect_<name>…) do not carry the Rowtrail schema, and a group's statements drop and recreate them
 * (DROP TRIGGER IF EXISTS, CREATE TRIGGER): installing a protection would silently replace the trigger of another
 * installation's protection of the same name on the same table, and that installation's install would take it back.
 * A trigger of the group's names (its own, and the stale ones it drops) whose function lives in another schema is that
 * installation's: install and generated migrations refuse the protection, as capture refuses a table another
 * installation tracks (ddl/tracked-elsewhere-guard.ts), and status says whose the trigger is.
 */

interface GroupNames {
  schema: string;
  table: string;
  /** Protection name. */
  name: string;
  triggers: string[];
  staleTriggers: string[];
}

/** A trigger of a group's names that runs a function of another Rowtrail schema. */
export interface TriggerElsewhere {
  trigger: string;
  /** Schema of the function it runs: the other installation's. */
  schema: string;
}

const WHAT = (trigger: string, table: string, schema: string) =>
  `its trigger ${trigger} on ${table} runs a function of the Rowtrail installation in schema "${schema}"`;
const WHY = 'that installation\'s protection of the same name (protection trigger names do not include the Rowtrail schema), and installing would replace it';
const HINT = 'Rename the protection in one of the two installations, or remove it from the other one first (declare it no more there and run its install, or uninstall it).';

/** Install's refusal of a group some of whose trigger names another installation has on the table (see above). */
export function protectionElsewhereError(group: GroupNames, rowtrailSchema: string, elsewhere: TriggerElsewhere[]): Error {
  const table = `${group.schema}.${group.table}`;
  const what = elsewhere.map((e) => WHAT(e.trigger, table, e.schema)).join(', and ');
  return new Error(`Rowtrail: cannot install protection "${group.name}" on ${table} in schema "${rowtrailSchema}": ${what}: ${WHY}. ${HINT}`);
}

/** Status's detail for such a group, as the installation that does not own the trigger sees it. */
export function protectionElsewhereDetail(group: GroupNames, elsewhere: TriggerElsewhere[]): string {
  const table = `${group.schema}.${group.table}`;
  return `${elsewhere.map((e) => WHAT(e.trigger, table, e.schema).replace(/^its /, '')).join(', and ')}: that installation's protection `
    + `"${group.name}", not this one's; install refuses to replace it (rename the protection in one of the two installations)`;
}

/** The triggers of a group's names on its table that run a function of a schema other than `rowtrailSchema`. */
export async function triggersElsewhere(client: pg.ClientBase, group: GroupNames, rowtrailSchema: string): Promise<TriggerElsewhere[]> {
  const { rows } = await client.query<TriggerElsewhere>(
    `SELECT t.tgname AS trigger, n.nspname AS schema
     FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE t.tgrelid = to_regclass($1) AND t.tgname = ANY($2::text[]) AND n.nspname <> $3
     ORDER BY 1`,
    [qualified(group.schema, group.table), [...group.triggers, ...group.staleTriggers], rowtrailSchema],
  );
  return rows;
}

/**
 * The same refusal as SQL, run first by a group's statements, so that install and generated migrations (which run
 * `statements` as they are) check where they run: the database a migration was generated against may have differed,
 * or another installation's install may have run since. After the table's advisory tracking lock (install-lock.ts),
 * which every Rowtrail installation takes for the table, so two concurrent installs cannot both find the name free.
 */
export function protectionElsewhereGuard(group: GroupNames, rowtrailSchema: string): string[] {
  const table = `${group.schema}.${group.table}`;
  const names = `ARRAY[${[...group.triggers, ...group.staleTriggers].map(quoteLiteral).join(', ')}]::text[]`;
  return [
    trackedTableLock(group),
    `DO ${dollarQuote(`
DECLARE
  elsewhere text;
BEGIN
  SELECT string_agg(format(${quoteLiteral(WHAT('%s', table.replaceAll('%', '%%'), '%s'))}, t.tgname, n.nspname), ', and ' ORDER BY t.tgname) INTO elsewhere
  FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE t.tgrelid = to_regclass(${quoteLiteral(qualified(group.schema, group.table))}) AND t.tgname = ANY(${names}) AND n.nspname <> ${quoteLiteral(rowtrailSchema)};
  IF elsewhere IS NOT NULL THEN
    RAISE EXCEPTION 'Rowtrail: cannot install protection "%" on % in schema "%": %: %', ${[group.name, table, rowtrailSchema].map(quoteLiteral).join(', ')}, elsewhere, ${quoteLiteral(WHY)}
      USING ERRCODE = 'object_in_use', HINT = ${quoteLiteral(HINT)};
  END IF;
END
`)}`,
  ];
}
