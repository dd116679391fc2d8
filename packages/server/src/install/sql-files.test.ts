import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSqlMigrations } from './sql-files.js';

describe('loadSqlMigrations', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rowtrail-sql-files-')) + path.sep;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the NNNNNN_name.sql files of a folder in order, other files left out', () => {
    writeFileSync(path.join(dir, '000002_second.sql'), 'SELECT 2;');
    writeFileSync(path.join(dir, '000001_first.sql'), 'SELECT 1;');
    writeFileSync(path.join(dir, 'README.md'), 'not SQL');
    expect(loadSqlMigrations(dir).map((m) => [m.id, m.name, m.source])).toEqual([[1, 'first', 'SELECT 1;'], [2, 'second', 'SELECT 2;']]);
  });

  it('says the SQL files are missing, and how to get them, where a copy of the package lacks them', () => {
    const missing = path.join(dir, 'sql') + path.sep;
    expect(() => loadSqlMigrations(missing)).toThrow(`Rowtrail's SQL files are missing: ${missing} does not exist. This copy of @rowtrail/server was not made by packing it`);
    const empty = mkdtempSync(path.join(dir, 'empty-')) + path.sep;
    expect(() => loadSqlMigrations(empty)).toThrow(/holds no NNNNNN_name\.sql file.*pnpm --filter @rowtrail\/server pack/);
  });

  it('finds the repository\'s own SQL', () => {
    expect(loadSqlMigrations()[0]).toMatchObject({ id: 1, name: 'core' });
  });
});
