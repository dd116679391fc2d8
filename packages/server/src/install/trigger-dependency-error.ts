/**
 * An `ALTER TABLE … ALTER COLUMN … TYPE` or `… DROP COLUMN` that PostgreSQL refuses because one of Rowtrail's triggers
 * compares the column in its WHEN clause (the key-change capture compares the primary key; read-only, FSM and versioned
 * protections their fields), and PostgreSQL keeps a WHEN clause typed and bound to its columns. Its message (`cannot
 * alter type of a column used in a trigger definition`; `cannot drop column … because other objects depend on it`, whose
 * hint offers CASCADE, which would drop the trigger and leave the table unprotected until the next install) says
 * neither that Rowtrail recreates the trigger nor how to proceed; the error keeps its SQLSTATE and fields, its message
 * says both.
 */
export function explainTriggerDependency(error: unknown): unknown {
  const e = error as { code?: unknown; detail?: unknown; message?: unknown } | null;
  if (!e || typeof e.detail !== 'string' || typeof e.message !== 'string') return error;
  if (e.code === '0A000' && /used in a trigger definition/.test(e.message)) {
    const found = /^trigger (rowtrail_\S+) on table (.+) depends on column "(.+)"$/.exec(e.detail);
    if (found) explain(e as { message: string }, found[1], found[2], found[3], 'for the new type');
  } else if (e.code === '2BP01' && /^cannot drop column /.test(e.message)) {
    // the detail lists every dependent object, a line each: the first of Rowtrail's triggers is named
    const found = /^trigger (rowtrail_\S+) on table (.+) depends on column (.+) of table .+$/m.exec(e.detail);
    if (found) {
      explain(e as { message: string }, found[1], found[2], found[3], 'for the table without the column (declare the protection without that field first; not CASCADE, which drops the trigger and leaves the table unprotected until then)');
    }
  }
  return error;
}

function explain(e: { message: string }, trigger: string, table: string, column: string, then: string): void {
  e.message = `${e.message} (Rowtrail: its trigger ${trigger} on ${table} compares ${column} in its WHEN clause; `
    + `drop it first, in the same migration (DROP TRIGGER ${trigger} ON ${table}), and installTracked(), \`rowtrail install\` or `
    + `your generated Rowtrail migration creates it again ${then}: docs/lifecycle.md)`;
}
