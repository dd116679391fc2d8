// @Versioned on a table with a stored generated column: PostgreSQL refuses a BEFORE trigger's WHEN that
// references NEW's generated columns (NEW.* does), so the increment has no WHEN and its function compares the
// rows, leaving generated columns out (versioned-bump.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import type { ProtectedTableSpec } from './protection-spec.js';

let db: TestDatabase;
const line: ProtectedTableSpec = {
  schema: 'public', table: 'order_line', primaryKey: ['id'],
  columns: [{ name: 'id', type: 'integer' }, { name: 'price', type: 'integer' }, { name: 'qty', type: 'integer' }, { name: 'total', type: 'integer', generated: true }, { name: 'version', type: 'integer' }],
  protections: [{ kind: 'versioned', name: 'versioned', field: 'version' }],
};
// the same table without its columns: the bump function tells a redundant update, reading the catalog
const lineWithoutColumns: ProtectedTableSpec = { schema: 'public', table: 'order_line_2', primaryKey: ['id'], protections: line.protections };

beforeAll(async () => {
  db = await createTestDatabase('versioned_generated_column');
  await db.pool.query(`CREATE TABLE order_line (
    id integer PRIMARY KEY, price integer NOT NULL, qty integer NOT NULL,
    total integer GENERATED ALWAYS AS (price * qty) STORED, version integer NOT NULL DEFAULT 0)`);
  await db.pool.query(`CREATE TABLE order_line_2 (LIKE order_line INCLUDING ALL)`);
  await install(db.pool, [], { protections: [line, lineWithoutColumns] });
  await db.pool.query(`INSERT INTO order_line (id, price, qty) VALUES (1, 2, 3); INSERT INTO order_line_2 (id, price, qty) VALUES (1, 2, 3)`);
});
afterAll(() => db.drop());

const row = async () => (await db.pool.query(`SELECT total, version FROM order_line WHERE id = 1`)).rows[0];
const bumpTrigger = async (table: string) =>
  (await db.pool.query(`SELECT pg_get_triggerdef(oid) AS d FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname LIKE '%_bump'`, [table])).rows[0].d as string;

describe('@Versioned on a table with a generated column', () => {
  it('bumps on a real change, which also recomputes the generated column', async () => {
    await db.pool.query(`UPDATE order_line SET price = 5 WHERE id = 1`);
    expect(await row()).toEqual({ total: 15, version: 1 });
    await db.pool.query(`UPDATE order_line SET qty = 4, price = 5 WHERE id = 1`);
    expect(await row()).toEqual({ total: 20, version: 2 });
  });

  it('does not bump on a redundant update', async () => {
    await db.pool.query(`UPDATE order_line SET price = price, qty = qty WHERE id = 1`);
    expect(await row()).toEqual({ total: 20, version: 2 });
  });

  it('refuses a direct edit of the version', async () => {
    await expect(db.pool.query(`UPDATE order_line SET version = 7 WHERE id = 1`)).rejects.toMatchObject({ code: 'RT001' });
    expect(await row()).toEqual({ total: 20, version: 2 });
  });

  it('compares rows in the function, leaving the generated column out, with or without the column list', async () => {
    // PostgreSQL refuses a BEFORE trigger's WHEN that reads NEW's generated columns: no WHEN on either table
    expect(await bumpTrigger('order_line')).not.toMatch(/WHEN/);
    expect(await bumpTrigger('order_line_2')).not.toMatch(/WHEN/);
    const version = async () => (await db.pool.query(`SELECT version FROM order_line_2 WHERE id = 1`)).rows[0].version;
    await db.pool.query(`UPDATE order_line_2 SET price = price`);
    expect(await version()).toBe(0);
    await db.pool.query(`UPDATE order_line_2 SET price = 7`);
    expect(await version()).toBe(1);
  });
});
