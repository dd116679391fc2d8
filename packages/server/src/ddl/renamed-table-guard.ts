import { quoteLiteral } from './quote.js';

/**
 * PL/pgSQL that refuses to go on when the table firing the trigger is no longer called what the
 * function names. A function that reads or writes its table by name (TRUNCATE capture, soft delete)
 * would, after a rename, act on whichever table has that name now, or fail on none.
 */
export function refuseRenamedTable(table: { schema: string; table: string }, trigger: string): string {
  return `
  IF TG_TABLE_NAME <> ${quoteLiteral(table.table)} OR TG_TABLE_SCHEMA <> ${quoteLiteral(table.schema)} THEN
    RAISE EXCEPTION 'Rowtrail: % of %.% refused: its % trigger was installed for table %, a name that is now another table or none (renamed since?)',
      TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME, ${quoteLiteral(trigger)}, ${quoteLiteral(`${table.schema}.${table.table}`)}
      USING ERRCODE = 'object_not_in_prerequisite_state',
        HINT = 'Install Rowtrail for the table under its new name (rowtrail install, installTracked() or a generated migration).';
  END IF;`;
}
