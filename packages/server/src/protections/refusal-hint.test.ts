// A refused write's hint names the protection with its table: following it lets this protection's writes through only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import type { ProtectedTableSpec } from './protection-spec.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('refusal_hint');
  await db.pool.query(`CREATE SCHEMA shop; CREATE TABLE orders (id int PRIMARY KEY, code text); CREATE TABLE shop.orders (id int PRIMARY KEY, code text)`);
  await db.pool.query(`INSERT INTO orders VALUES (1, 'a'); INSERT INTO shop.orders VALUES (1, 'a')`);
  const readOnly = (schema: string, table: string): ProtectedTableSpec => ({ schema, table, primaryKey: ['id'], protections: [{ kind: 'read_only', name: 'read_only', fields: ['code'] }] });
  await install(db.pool, [], { protections: [readOnly('public', 'orders'), readOnly('shop', 'orders')] });
});
afterAll(() => db.drop());

const refusal = async (sql: string) => {
  const error = await db.pool.query(sql).then(() => undefined, (e: { hint?: string }) => e);
  if (!error) throw new Error(`not refused: ${sql}`);
  return error.hint;
};

describe('the hint of a refused write', () => {
  it('names the table with its schema with the protection, as ignore() matches it', async () => {
    expect(await refusal(`UPDATE orders SET code = 'b'`)).toBe('Protection "read_only" refuses this write; an official interface can run it inside ignore(["public.orders:read_only"], fn).');
    expect(await refusal(`UPDATE shop.orders SET code = 'b'`)).toBe('Protection "read_only" refuses this write; an official interface can run it inside ignore(["shop.orders:read_only"], fn).');
  });

  it('names what lets this table\'s writes through and no other table\'s, not even one of its name in another schema', async () => {
    const client = await db.pool.connect();
    try {
      await client.query(`BEGIN; SELECT rowtrail.ignore_protections(ARRAY['public.orders:read_only'])`);
      await client.query(`UPDATE orders SET code = 'b'`);
      await expect(client.query(`UPDATE shop.orders SET code = 'b'`)).rejects.toThrow(/read_only/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
