// @Versioned on a table with a stored generated column: PostgreSQL refuses a BEFORE trigger's WHEN that
// references NEW's generated columns, so the increment decides inside its function (versioned-bump.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import type { ProtectedTableSpec } from './protection-spec.js';

let db: TestDatabase;
const line: ProtectedTableSpec = {
  schema: 'public', table: 'order_line', primaryKey: ['id'],
  columns: [{ name: 'id', type: 'integer' }, { name: 'price', type: 'integer' }, { name: 'qty', type: 'integer' }, { name: 'total', type: 'integer' }, { name: 'version', type: 'integer' }],
  protections: [{ kind: 'versioned', name: 'versioned', field: 'version' }],
};

beforeAll(async () => {
  db = await createTestDatabase('versioned_generated_column');
  await db.pool.query(`CREATE TABLE order_line (
    id integer PRIMARY KEY, price integer NOT NULL, qty integer NOT NULL,
    total integer GENERATED ALWAYS AS (price * qty) STORED, version integer NOT NULL DEFAULT 0)`);
  await install(db.pool, [], { protections: [line] });
  await db.pool.query(`INSERT INTO order_line (id, price, qty) VALUES (1, 2, 3)`);
});
afterAll(() => db.drop());

const row = async () => (await db.pool.query(`SELECT total, version FROM order_line WHERE id = 1`)).rows[0];

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
});
