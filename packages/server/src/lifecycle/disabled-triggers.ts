import type pg from 'pg';

/**
 * pg_trigger.tgenabled values under which a trigger does not fire in an ordinary session:
 * 'D' (ALTER TABLE … DISABLE TRIGGER) and 'R' (ENABLE REPLICA TRIGGER, fires only under
 * session_replication_role = replica). 'O' is how Rowtrail creates them; 'A' (ENABLE ALWAYS)
 * still fires, so it is left alone.
 */
export const NOT_FIRING_SQL = `tgenabled IN ('D', 'R')`;

const HOW: Record<string, string> = { D: 'disabled', R: 'enabled for replication sessions only' };

/** Names of the given triggers on a table (qualified, quoted) that exist but do not fire in an ordinary session. */
export async function disabledTriggers(client: pg.ClientBase, table: string, names: string[]): Promise<Array<{ name: string; enabled: string }>> {
  const { rows } = await client.query<{ name: string; enabled: string }>(
    `SELECT tgname AS name, tgenabled AS enabled FROM pg_trigger
     WHERE tgrelid = to_regclass($1) AND tgname = ANY($2::text[]) AND ${NOT_FIRING_SQL} ORDER BY tgname`,
    [table, names],
  );
  return rows;
}

/** A status detail naming each trigger that does not fire and the table it is on, or undefined when all fire. */
export function disabledDetail(table: string, disabled: Array<{ name: string; enabled: string }>): string | undefined {
  if (disabled.length === 0) return undefined;
  return `${disabled.map((t) => `trigger ${t.name} on ${table} is ${HOW[t.enabled] ?? `in state ${t.enabled}`}`).join('; ')}: `
    + 'writes it should see are not handled; install (or a generated migration) re-creates it';
}

/** A status detail naming the triggers of a group that are missing on a table (the others are there), or undefined when none is. */
export function missingDetail(table: string, missing: string[]): string | undefined {
  if (missing.length === 0) return undefined;
  return `${missing.length === 1 ? 'trigger' : 'triggers'} ${missing.join(', ')} on ${table} ${missing.length === 1 ? 'is' : 'are'} missing: `
    + 'writes it should see are not handled; install (or a generated migration) re-creates it';
}
