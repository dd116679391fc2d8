import { quoteLiteral } from '../ddl/quote.js';

/**
 * A PL/pgSQL block (for an install-time DO check) that runs `statements` and, when PostgreSQL refuses them, raises
 * `message` (a PL/pgSQL text expression, e.g. a format() call) followed by PostgreSQL's reason, keeping its SQLSTATE,
 * with `hint` (text). The statements are EXPLAINs (parse analysis types a statement and planning folds its constants, but
 * nothing runs) or SELECTs of constants, so they tell whether a generated function's statement could ever run
 * without running it.
 *
 * A lack of privilege passes: PostgreSQL checks privileges after parse analysis and planning, so the statement was
 * typed by then (the role that installs may own the table's triggers without being allowed to write its rows).
 * `passing` lists further condition names that pass.
 */
export function refuseWhenPostgresRefuses(statements: string, message: string, hint: string, passing: string[] = []): string {
  const passes = ['insufficient_privilege', ...passing].join(' OR ');
  return `  DECLARE
    reason text;
    state text;
  BEGIN
    ${statements}
  EXCEPTION
    WHEN ${passes} THEN NULL;
    WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS reason = MESSAGE_TEXT, state = RETURNED_SQLSTATE;
      RAISE EXCEPTION USING
        ERRCODE = state,
        MESSAGE = ${message} || ': ' || reason,
        HINT = ${quoteLiteral(hint)};
  END;`;
}
