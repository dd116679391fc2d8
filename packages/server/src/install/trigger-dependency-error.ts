/**
 * An `ALTER TABLE … ALTER COLUMN … TYPE` that PostgreSQL refuses because one of Rowtrail's triggers compares the column
 * in its WHEN clause (the key-change capture compares the primary key; read-only, FSM and versioned protections their
 * fields), and PostgreSQL keeps a WHEN clause typed. Its message (`cannot alter type of a column used in a trigger
 * definition`, the trigger in DETAIL) says neither that Rowtrail recreates the trigger nor how to proceed; the error
 * keeps its SQLSTATE and fields, its message says both.
 */
export function explainTriggerDependency(error: unknown): unknown {
  const e = error as { code?: unknown; detail?: unknown; message?: unknown } | null;
  if (!e || e.code !== '0A000' || typeof e.detail !== 'string' || typeof e.message !== 'string') return error;
  const found = /^trigger (rowtrail_\S+) on table (.+) depends on column "(.+)"$/.exec(e.detail);
  if (!found || !/used in a trigger definition/.test(e.message)) return error;
  const [, trigger, table, column] = found;
  (e as { message: string }).message = `${e.message} (Rowtrail: its trigger ${trigger} on ${table} compares ${column} in its WHEN clause; `
    + `drop it first, in the same migration (DROP TRIGGER ${trigger} ON ${table}), and installTracked(), \`rowtrail install\` or `
    + `your generated Rowtrail migration creates it again for the new type: docs/lifecycle.md)`;
  return error;
}
