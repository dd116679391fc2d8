/** An install step that PostgreSQL refused: the statement in full, and PostgreSQL's SQLSTATE and hint. */
export class InstallStatementError extends Error {
  readonly statement: string;
  readonly code?: string;
  readonly hint?: string;
  constructor(what: string, statement: string, cause: unknown) {
    const pg = cause as { message?: string; code?: string; hint?: string; detail?: string };
    // one line (a CLI prints it as one): PostgreSQL's reason, its SQLSTATE, detail and hint, and where the statement starts
    const start = statement.replace(/\s+/g, ' ').trim();
    const parts = [
      `${what} failed: ${pg.message ?? String(cause)}${pg.code ? ` (SQLSTATE ${pg.code})` : ''}`,
      ...(pg.detail ? [pg.detail] : []),
      ...(pg.hint ? [pg.hint] : []),
      `statement: ${start.length > 120 ? `${start.slice(0, 120)}…` : start}`,
    ];
    super(parts.map((p) => p.replace(/\s*\n\s*/g, ' ').replace(/[.\s]+$/, '')).join('. '), { cause });
    this.name = 'InstallStatementError';
    this.statement = statement;
    this.code = pg.code;
    this.hint = pg.hint;
  }
}
