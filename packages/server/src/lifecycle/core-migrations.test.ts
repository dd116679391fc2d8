// Core SQL files are immutable once shipped: a changed hash is reported, never re-run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { loadSqlMigrations } from '../install/sql-files.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { coreMigrationState } from './core-migrations.js';
import { planMigration } from './migration-plan.js';
import { SQL_FILE_HASHES } from './sql-file-hashes.js';
import { status } from './status.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('core_migrations');
});
afterAll(() => db.drop());

describe('core SQL files', () => {
  it('are all recorded in SQL_FILE_HASHES with their current hash (edit a shipped file: add a new numbered file instead)', () => {
    for (const m of loadSqlMigrations()) {
      const file = `sql/${String(m.id).padStart(6, '0')}_${m.name}.sql`;
      expect(SQL_FILE_HASHES[m.id]?.at(-1), `${file} has hash ${m.hash}, which is not the last one listed for ${m.id} in `
        + `src/lifecycle/sql-file-hashes.ts. A file databases may have applied must not change: put the change in a new file. `
        + `New file: add its hash. Change that is a no-op for databases (a comment): append the new hash.`).toBe(m.hash);
    }
  });

  it('count an acknowledged earlier hash as installed', () => {
    const [first] = loadSqlMigrations();
    expect(coreMigrationState({ ...first, hash: 'edited' }, first.hash)).toEqual({ state: 'installed' });
    expect(coreMigrationState(first, undefined)).toEqual({ state: 'missing' });
  });

  it('report a file modified since install and do not re-run it', async () => {
    await install(db.pool);
    expect((await status(db.pool, [])).upToDate).toBe(true);
    await db.pool.query(`UPDATE rowtrail.migrations SET hash = 'f00d' WHERE id = 2`);
    const entry = (await status(db.pool, [])).entries.find((e) => e.kind === 'core-migration' && e.name === 'protections');
    expect(entry).toMatchObject({ state: 'outdated', detail: expect.stringMatching(/^modified since install .*add a new migration file instead$/) });
    const plan = await planMigration(db.pool, []);
    expect(plan.up).toEqual([]);
    expect(plan.warnings).toEqual([expect.stringContaining('core migration protections: modified since install')]);
    expect((await install(db.pool)).appliedMigrations).toEqual([]);
  });
});
