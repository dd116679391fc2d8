// A generated migration replaces capture triggers by dropping and creating them: run by TypeORM without a transaction
// (migrationsTransactionMode 'none'), each statement committed on its own, writes between them had no history.
import 'reflect-metadata';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type MigrationInterface } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMigrationFile } from '../lifecycle/migration-file.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase('generated_migration_transaction');
  dir = await mkdtemp(join(tmpdir(), 'rowtrail-migration-tx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db?.drop();
});

let timestamp = 1_700_000_000_000; // TypeORM wants a JavaScript timestamp at the end of the class name
/** Runs a migration rendered from these statements with TypeORM's runner in the given transaction mode. */
async function runRendered(name: string, up: string[], transaction: 'all' | 'none'): Promise<unknown> {
  const file = join(dir, `${name}.ts`);
  await writeFile(file, renderMigrationFile({ up, down: [], changes: [name], warnings: [] }, { name, timestamp: timestamp++ }));
  const module = (await import(file)) as Record<string, new () => MigrationInterface>;
  const ds = new DataSource({ type: 'postgres', url: db.url, migrations: Object.values(module) });
  await ds.initialize();
  try {
    return await ds.runMigrations({ transaction }).then(() => undefined, (e: unknown) => e);
  } finally {
    await ds.destroy();
  }
}
const exists = async (table: string) => (await db.pool.query(`SELECT to_regclass($1) IS NOT NULL AS e`, [table])).rows[0].e;

describe('a generated migration', () => {
  it('runs its statements in one transaction when TypeORM runs it without one: all or nothing', async () => {
    expect(await runRendered('Failing', ['CREATE TABLE half_done (a int)', 'SELECT 1 / 0'], 'none')).toMatchObject({ message: 'division by zero' });
    expect(await exists('half_done')).toBe(false);
    expect(await runRendered('Passing', ['CREATE TABLE done_a (a int)', 'CREATE TABLE done_b (a int)'], 'none')).toBeUndefined();
    expect([await exists('done_a'), await exists('done_b')]).toEqual([true, true]);
  });

  it('runs inside TypeORM\'s transaction when there is one', async () => {
    expect(await runRendered('InOne', ['CREATE TABLE in_one (a int)'], 'all')).toBeUndefined();
    expect(await exists('in_one')).toBe(true);
  });
});
