/**
 * A write refused because its table's history capture names a column the table no longer has: a schema migration
 * dropped or renamed a tracked column, and Rowtrail's capture was not installed again after it (docs/lifecycle.md).
 * PostgreSQL's message (`column o.nickname does not exist`, from the capture function) names neither Rowtrail nor
 * the remedy; the error keeps its SQLSTATE and fields, its message says both.
 */
export function explainStaleCapture(error: unknown): unknown {
  const e = error as { code?: unknown; where?: unknown; message?: unknown } | null;
  if (!e || e.code !== '42703' || typeof e.where !== 'string' || typeof e.message !== 'string') return error;
  // the capture functions' aliases of the statement's rows (capture-ddl.ts), or the key-change trigger's OLD and NEW
  const column = /^column [onr]\.("?)(.+)\1 does not exist$/.test(e.message) || /^record "(old|new)" has no field "(.+)"$/.test(e.message);
  // a capture function: named after its history table (default "<table>_history"), or in the default schema rowtrail
  const capture = /PL\/pgSQL function ((?:rowtrail\.\S+|\S+_history)_(?:insert|update|delete|key_change|truncate))\(\) line \d+/.exec(e.where);
  if (!column || !capture) return error;
  (e as { message: string }).message = `${e.message} (Rowtrail: the table's columns changed since its history capture ${capture[1]} was `
    + `installed; run installTracked(), \`rowtrail install\` or your generated Rowtrail migration after the schema migration that `
    + `changed them: docs/lifecycle.md)`;
  return error;
}
