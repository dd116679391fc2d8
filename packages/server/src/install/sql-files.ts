import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { sha256 } from '../ddl/identifier-name.js';
import { quoteIdent, quoteLiteral } from '../ddl/quote.js';
import { SQL_DIR } from '../package-paths.js';

export interface SqlMigration {
  id: number;
  name: string;
  /** Text with the schema placeholder still in it: what the hash covers. */
  source: string;
  hash: string;
}

const FILE_PATTERN = /^(\d{6})_([a-z0-9_]+)\.sql$/;

/** Reads sql/NNNNNN_name.sql in order. */
export function loadSqlMigrations(dir = SQL_DIR): SqlMigration[] {
  const migrations = (existsSync(dir) ? readdirSync(dir) : [])
    .map((file) => ({ file, match: FILE_PATTERN.exec(file) }))
    .filter((f) => f.match)
    .map(({ file, match }) => {
      const source = readFileSync(dir + file, 'utf8');
      return { id: Number(match![1]), name: match![2], source, hash: sha256(source) };
    })
    .sort((a, b) => a.id - b.id);
  // A copy of packages/server (a file: dependency) lacks the SQL that packing puts beside dist/: say so, not ENOENT.
  if (migrations.length === 0) {
    throw new Error(`Rowtrail's SQL files are missing: ${dir} ${existsSync(dir) ? 'holds no NNNNNN_name.sql file' : 'does not exist'}. `
      + 'This copy of @rowtrail/server was not made by packing it (a file: dependency on packages/server copies the folder without them): '
      + 'install the tarball that `pnpm --filter @rowtrail/server pack` writes (README, "Quick start").');
  }
  return migrations;
}

/** Substitutes the schema placeholders: the quoted identifier, and (_LITERAL) that identifier as a string literal. */
export function renderSql(source: string, schema: string): string {
  return source
    .replace(/:ROWTRAIL_SCHEMA_LITERAL\b/g, quoteLiteral(quoteIdent(schema)))
    .replace(/:ROWTRAIL_SCHEMA\b/g, quoteIdent(schema));
}
