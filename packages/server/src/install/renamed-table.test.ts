// The TRUNCATE capture and soft delete name their table in the SQL they run (to read the rows a TRUNCATE
// removes; to mark the row a DELETE would remove). Renamed, the table keeps its triggers, and that name
// is another table's, or no table's: they refuse to run until Rowtrail is installed for the new name,
// rather than record or change another table's rows. The other captures read only transition tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { install } from './installer.js';

let db: TestDatabase;
const softDelete: ProtectedTableSpec = {
  schema: 'public', table: 'post', primaryKey: ['id'], protections: [{ kind: 'soft_delete', name: 'soft_delete', field: 'is_active', value: false }],
};

beforeAll(async () => {
  db = await createTestDatabase('renamed_table');
  await db.pool.query(`CREATE TABLE inv (id integer PRIMARY KEY, v text)`);
  await db.pool.query(`CREATE TABLE post (id integer PRIMARY KEY, is_active boolean NOT NULL DEFAULT true)`);
  await install(db.pool, [idValueSpec('inv')], { protections: [softDelete] });
  await db.pool.query(`INSERT INTO inv VALUES (1, 'a'), (2, 'b')`);
  await db.pool.query(`INSERT INTO post (id) VALUES (1), (9)`);
  await db.pool.query(`ALTER TABLE inv RENAME TO inv_archive`);
  await db.pool.query(`ALTER TABLE post RENAME TO post_2025`);
});
afterAll(() => db.drop());

const deletes = async () => (await db.pool.query(`SELECT record_key FROM rowtrail.event WHERE operation = 'DELETE'`)).rows;

describe('a tracked or soft-deleting table renamed after install', () => {
  it('refuses a TRUNCATE, naming both tables, while no table has the old name, and while another one has', async () => {
    await expect(db.pool.query(`TRUNCATE inv_archive`)).rejects.toMatchObject({
      code: '55000',
      message: 'Rowtrail: TRUNCATE of public.inv_archive refused: its history capture trigger was installed for table public.inv, a name that is now another table or none (renamed since?)',
      hint: expect.stringMatching(/^Install Rowtrail for the table under its new name/),
    });
    await db.pool.query(`CREATE TABLE inv (id integer PRIMARY KEY, v text)`);
    await db.pool.query(`INSERT INTO inv VALUES (100, 'new')`);
    await expect(db.pool.query(`TRUNCATE inv_archive`)).rejects.toMatchObject({ code: '55000' });
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM inv_archive`)).rows).toEqual([{ n: 2 }]);
    expect(await deletes()).toEqual([]); // the new inv's row was not recorded as removed
    // other writes are still recorded (under the name the capture was installed for)
    await db.pool.query(`UPDATE inv_archive SET v = 'A' WHERE id = 1`);
    expect((await db.pool.query(`SELECT table_name, changes FROM rowtrail.event WHERE operation = 'UPDATE'`)).rows)
      .toEqual([{ table_name: 'public.inv', changes: { v: ['a', 'A'] } }]);
  });

  it('refuses a DELETE under soft delete instead of marking the row of the table that now has the old name', async () => {
    await db.pool.query(`CREATE TABLE post (id integer PRIMARY KEY, is_active boolean NOT NULL DEFAULT true)`);
    await db.pool.query(`INSERT INTO post (id) VALUES (9)`);
    await expect(db.pool.query(`DELETE FROM post_2025 WHERE id = 9`)).rejects.toMatchObject({
      code: '55000',
      message: 'Rowtrail: DELETE of public.post_2025 refused: its soft delete soft_delete trigger was installed for table public.post, a name that is now another table or none (renamed since?)',
    });
    expect((await db.pool.query(`SELECT 'post' AS t, id, is_active FROM post UNION ALL SELECT 'post_2025', id, is_active FROM post_2025 ORDER BY 1, 2`)).rows).toEqual([
      { t: 'post', id: 9, is_active: true },
      { t: 'post_2025', id: 1, is_active: true },
      { t: 'post_2025', id: 9, is_active: true },
    ]);
  });
});
