/**
 * A write refused because one of Rowtrail's generated trigger functions names a column the table no longer has: a
 * schema migration dropped or renamed it, and the function was not installed again after it. PostgreSQL's message
 * (`column o.nickname does not exist`, `record "new" has no field "version"`, `column "is_active" of relation "item"
 * does not exist`) names neither Rowtrail nor the remedy; the error keeps its SQLSTATE and fields, its message says
 * both. Read-only, FSM and versioned guards say it themselves (core version 17: rowtrail.refuse_missing_fields()).
 */
export function explainStaleTrigger(error: unknown): unknown {
  const e = error as { code?: unknown; where?: unknown; message?: unknown } | null;
  if (!e || e.code !== '42703' || typeof e.where !== 'string' || typeof e.message !== 'string') return error;
  if (!STALE_COLUMN.some((pattern) => pattern.test(e.message as string))) return error;
  for (const { fn, note } of STALE_FUNCTIONS) {
    const found = fn.exec(e.where);
    if (found) {
      (e as { message: string }).message = `${e.message} (Rowtrail: the table's columns changed since ${note(found[1])}`;
      return error;
    }
  }
  return error;
}

// the capture functions' aliases of the statement's rows (capture-ddl.ts), a row trigger's OLD and NEW, a generated
// function's UPDATE of its table
const STALE_COLUMN = [/^column [onr]\.("?)(.+)\1 does not exist$/, /^record "(old|new)" has no field "(.+)"$/, /^column "(.+)" of relation "(.+)" does not exist$/];

const STALE_FUNCTIONS: Array<{ fn: RegExp; note: (name: string) => string }> = [
  {
    // a capture function: named after its history table (default "<table>_history"), or in the default schema rowtrail
    fn: /PL\/pgSQL function ((?:rowtrail\.\S+|\S+_history)_(?:insert|update|delete|key_change|truncate))\(\) line \d+/,
    note: (name) => `its history capture ${name} was installed; run installTracked(), \`rowtrail install\` or your generated `
      + 'Rowtrail migration after the schema migration that changed them: docs/lifecycle.md)',
  },
  {
    // a versioned or soft-delete protection's function: <table>_<protection>_<bump|soft_delete>_<hash of the table> (protection-names.ts)
    fn: /PL\/pgSQL function (\S+_(?:bump|soft_delete)_[0-9a-f]{10})\(\) line \d+/,
    note: (name) => `its protection function ${name} was installed; declare the protection with the columns' current names `
      + 'and install it again after the schema migration that changed them: docs/protections.md)',
  },
];
