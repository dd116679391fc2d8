/**
 * A write refused because a versioned or soft-delete protection's generated function names a column the table no
 * longer has: a schema migration renamed or dropped it, and the protection was not declared and installed again.
 * PostgreSQL's message (`record "new" has no field "version"`, `column "is_active" of relation "item" does not
 * exist`) names neither Rowtrail nor the remedy; the error keeps its SQLSTATE and fields, its message says both.
 * The other kinds say it themselves (core version 17: rowtrail.refuse_missing_fields()).
 */
export function explainStaleProtection(error: unknown): unknown {
  const e = error as { code?: unknown; where?: unknown; message?: unknown } | null;
  if (!e || e.code !== '42703' || typeof e.where !== 'string' || typeof e.message !== 'string') return error;
  const column = /^record "(old|new)" has no field "(.+)"$/.test(e.message) || /^column "(.+)" of relation "(.+)" does not exist$/.test(e.message);
  // a generated protection function: <table>_<protection>_<bump|soft_delete>_<hash of the table> (protection-names.ts)
  const fn = /PL\/pgSQL function (\S+_(?:bump|soft_delete)_[0-9a-f]{10})\(\) line \d+/.exec(e.where);
  if (!column || !fn) return error;
  (e as { message: string }).message = `${e.message} (Rowtrail: the table's columns changed since its protection function ${fn[1]} was `
    + `installed; declare the protection with the columns' current names and install it again after the schema migration `
    + `that changed them: docs/protections.md)`;
  return error;
}
