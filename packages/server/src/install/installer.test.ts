import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { install } from './installer.js';
import { uninstall } from './uninstaller.js';
import { loadSqlMigrations } from './sql-files.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('installer');
  await db.pool.query(`CREATE TABLE account (id int PRIMARY KEY, name text, secret text, updated_at timestamptz)`);
});
afterAll(() => db.drop());

const account: TrackedTableSpec = {
  schema: 'public', table: 'account', primaryKey: ['id'], label: 'snapshot',
  columns: [{ name: 'id', type: 'integer' }, { name: 'name', type: 'text' }, { name: 'secret', type: 'text' }, { name: 'updated_at', type: 'timestamptz' }],
  exclude: ['secret'], ignoreChanges: ['updated_at'],
};

describe('install', () => {
  it('is idempotent and records what it installed', async () => {
    const first = await install(db.pool, [account]);
    expect(first.appliedMigrations).toEqual(loadSqlMigrations().map((m) => m.name));
    expect(first.updatedTables).toEqual(['public.account']);
    const second = await install(db.pool, [account]);
    expect(second.appliedMigrations).toEqual([]);
    expect(second.updatedTables).toEqual([]);
    const { rows } = await db.pool.query(`SELECT id, name, hash FROM rowtrail.migrations ORDER BY id`);
    expect(rows.map((r) => r.name)).toEqual(loadSqlMigrations().map((m) => m.name));
  });

  it('is safe when several installs run at once', async () => {
    await uninstall(db.pool);
    const results = await Promise.all(Array.from({ length: 5 }, () => install(db.pool, [account])));
    expect(results.filter((r) => r.appliedMigrations.length > 0)).toHaveLength(1);
    expect(results.filter((r) => r.updatedTables.length > 0)).toHaveLength(1);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'account'::regclass AND tgname LIKE 'rowtrail_%'`);
    expect(rows[0].n).toBe(5);
  });

  it('is safe when several installs run at once in sessions whose default isolation is SERIALIZABLE', async () => {
    await uninstall(db.pool);
    const serializable = new pg.Pool({ connectionString: db.url, options: '-c default_transaction_isolation=serializable', max: 5 });
    try {
      const results = await Promise.all(Array.from({ length: 3 }, () => install(serializable, [account]).then((r) => r.appliedMigrations.length, (e: Error) => e.message)));
      expect(results.sort()).toEqual([0, 0, loadSqlMigrations().length]);
    } finally {
      await serializable.end();
    }
  });

  it('uninstalls triggers and schema, and can install again', async () => {
    const removed = await uninstall(db.pool);
    expect(removed.removedTables).toEqual(['public.account']);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'account'::regclass AND tgname LIKE 'rowtrail_%'`);
    expect(rows[0].n).toBe(0);
    expect((await db.pool.query(`SELECT to_regnamespace('rowtrail') AS s`)).rows[0].s).toBeNull();
    await db.pool.query(`INSERT INTO account VALUES (1, 'a', 's', now())`); // untracked now: must simply work
    await install(db.pool, [account]);
    await db.pool.query(`UPDATE account SET name = 'b'`);
    const diff = await db.pool.query(`SELECT operation, changes FROM rowtrail.event`);
    expect(diff.rows).toEqual([{ operation: 'UPDATE', changes: { name: ['a', 'b'] } }]);
  });
});
