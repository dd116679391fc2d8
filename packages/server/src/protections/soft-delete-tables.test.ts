// Soft delete marks exactly the deleted row of its own table. On a partitioned table (or a partition) an UPDATE
// that moves a row to another partition runs as a DELETE, which soft delete would turn into marking the row
// deleted instead of moving it: such tables are refused at install. In an inheritance hierarchy the soft delete's
// UPDATE must not reach rows of the children that share the deleted row's key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import type { ProtectedTableSpec } from './protection-spec.js';

let db: TestDatabase;
const softDelete = (table: string, primaryKey = ['id']): ProtectedTableSpec => ({
  schema: 'public', table, primaryKey, protections: [{ kind: 'soft_delete', name: 'soft_delete', field: 'is_active', value: false }],
});

beforeAll(async () => {
  db = await createTestDatabase('soft_delete_tables');
  await db.pool.query(`CREATE TABLE account (id integer, region text, is_active boolean NOT NULL DEFAULT true, PRIMARY KEY (id, region)) PARTITION BY LIST (region)`);
  await db.pool.query(`CREATE TABLE account_eu PARTITION OF account FOR VALUES IN ('eu')`);
  await db.pool.query(`CREATE TABLE account_us PARTITION OF account FOR VALUES IN ('us')`);
  await db.pool.query(`CREATE TABLE document (id integer PRIMARY KEY, is_active boolean NOT NULL DEFAULT true)`);
  await db.pool.query(`CREATE TABLE invoice_document (amount integer) INHERITS (document)`);
  await install(db.pool);
});
afterAll(() => db.drop());

const protectionTriggers = async () => (await db.pool.query(
  `SELECT tgrelid::regclass::text AS t, tgname FROM pg_trigger WHERE tgname LIKE 'rowtrail_protect_%' ORDER BY 1, 2`,
)).rows.map((r) => `${r.t}.${r.tgname}`);

describe('@SoftDelete on partitioned and inherited tables', () => {
  it('refuses a partitioned table and a partition, whose row movements would become soft deletes', async () => {
    await expect(install(db.pool, [], { protections: [softDelete('account', ['id', 'region'])] }))
      .rejects.toThrow(/soft delete "soft_delete" cannot be installed on table public\.account: it is a partitioned table/);
    await expect(install(db.pool, [], { protections: [softDelete('account_eu', ['id', 'region'])] }))
      .rejects.toThrow(/soft delete "soft_delete" cannot be installed on table public\.account_eu: it is a partition/);
    expect(await protectionTriggers()).toEqual([]);
    // what it would do: the row would stay in its partition, marked deleted, and the UPDATE would report no row
    await db.pool.query(`INSERT INTO account VALUES (1, 'eu', true)`);
    const moved = await db.pool.query(`UPDATE account SET region = 'us' WHERE id = 1`);
    expect(moved.rowCount).toBe(1);
    expect((await db.pool.query(`SELECT tableoid::regclass::text AS partition, is_active FROM account`)).rows).toEqual([{ partition: 'account_us', is_active: true }]);
  });

  it("marks only its own table's row, not a child table's row with the same key", async () => {
    await install(db.pool, [], { protections: [softDelete('document')] });
    await db.pool.query(`INSERT INTO document VALUES (1, true)`);
    await db.pool.query(`INSERT INTO invoice_document VALUES (1, true, 100)`);
    await db.pool.query(`DELETE FROM ONLY document WHERE id = 1`);
    expect((await db.pool.query(`SELECT tableoid::regclass::text AS t, id, is_active FROM document ORDER BY 1`)).rows)
      .toEqual([{ t: 'document', id: 1, is_active: false }, { t: 'invoice_document', id: 1, is_active: true }]);
  });
});
