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

  it('refuses a DELETE once the table was attached as a partition after install, so a moved row is not marked deleted', async () => {
    await db.pool.query(`CREATE TABLE ledger (id integer, region text, is_active boolean NOT NULL DEFAULT true, PRIMARY KEY (id, region))`);
    await install(db.pool, [], { protections: [softDelete('ledger', ['id', 'region'])] });
    await db.pool.query(`INSERT INTO ledger VALUES (1, 'eu', true)`);
    // the usual migration to a partitioned table: the old table becomes one of its partitions
    await db.pool.query(`CREATE TABLE ledger_all (id integer, region text, is_active boolean NOT NULL DEFAULT true, PRIMARY KEY (id, region)) PARTITION BY LIST (region)`);
    await db.pool.query(`ALTER TABLE ledger_all ATTACH PARTITION ledger FOR VALUES IN ('eu')`);
    await db.pool.query(`CREATE TABLE ledger_us PARTITION OF ledger_all FOR VALUES IN ('us')`);
    await expect(db.pool.query(`UPDATE ledger_all SET region = 'us' WHERE id = 1`)).rejects.toMatchObject({
      code: '55000', message: expect.stringMatching(/^Rowtrail: soft delete soft_delete of table public\.ledger refused: the table became a partition after the soft delete was installed/),
    });
    expect((await db.pool.query(`SELECT tableoid::regclass::text AS partition, is_active FROM ledger_all`)).rows).toEqual([{ partition: 'ledger', is_active: true }]);
  });
});

describe('@SoftDelete marks exactly one row or fails', () => {
  it('fails, deleting nothing, where row-level security lets the role delete the row but not update it', async () => {
    await db.pool.query(`CREATE TABLE note (id integer PRIMARY KEY, owner text NOT NULL, is_active boolean NOT NULL DEFAULT true)`);
    await install(db.pool, [], { protections: [softDelete('note')] });
    const role = `rowtrail_soft_delete_writer_${process.pid}_${Date.now()}`; // roles are cluster-wide: one of this run's own
    await db.pool.query(`INSERT INTO note VALUES (1, $1, true)`, [role]);
    await db.pool.query(`CREATE ROLE ${role}`);
    try {
      await db.pool.query(`GRANT SELECT, UPDATE, DELETE ON note TO ${role}; GRANT USAGE ON SCHEMA rowtrail TO ${role};
        ALTER TABLE note ENABLE ROW LEVEL SECURITY;
        CREATE POLICY read_all ON note FOR SELECT USING (true);
        CREATE POLICY delete_own ON note FOR DELETE USING (owner = current_user)`);
      const client = await db.pool.connect();
      try {
        await client.query(`SET ROLE ${role}`);
        // it used to report DELETE 0, as a soft delete that worked does, with the row left as it was
        await expect(client.query(`DELETE FROM note WHERE id = 1`)).rejects.toMatchObject({
          code: '55000', message: 'Rowtrail: soft delete soft_delete of table public.note marked 0 rows for one deleted row; nothing was deleted',
          hint: expect.stringMatching(/^Row-level security lets this role delete the row but not update it/),
        });
        await client.query(`RESET ROLE`);
        await db.pool.query(`CREATE POLICY update_own ON note FOR UPDATE USING (owner = current_user)`);
        await client.query(`SET ROLE ${role}`);
        expect((await client.query(`DELETE FROM note WHERE id = 1`)).rowCount).toBe(0); // soft deleted
      } finally {
        await client.query(`RESET ROLE`);
        client.release();
      }
      expect((await db.pool.query(`SELECT is_active FROM note`)).rows).toEqual([{ is_active: false }]);
    } finally {
      await db.pool.query(`DROP TABLE note; DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });

  it('fails where a hand-written spec names a key that is not unique, instead of marking every row that shares it', async () => {
    await db.pool.query(`CREATE TABLE membership (id integer PRIMARY KEY, tenant text, is_active boolean NOT NULL DEFAULT true)`);
    await install(db.pool, [], { protections: [softDelete('membership', ['tenant'])] });
    await db.pool.query(`INSERT INTO membership VALUES (1, 't1', true), (2, 't1', true), (3, NULL, true)`);
    await expect(db.pool.query(`DELETE FROM membership WHERE id = 1`)).rejects.toMatchObject({
      message: 'Rowtrail: soft delete soft_delete of table public.membership marked 2 rows for one deleted row; nothing was deleted',
      hint: 'The key the soft delete marks rows by (tenant) is not unique: declare the table\'s primary key.',
    });
    await expect(db.pool.query(`DELETE FROM membership WHERE id = 3`)).rejects.toMatchObject({ message: expect.stringContaining('marked 0 rows') });
    expect((await db.pool.query(`SELECT id, is_active FROM membership ORDER BY id`)).rows).toEqual([1, 2, 3].map((id) => ({ id, is_active: true })));
  });
});
