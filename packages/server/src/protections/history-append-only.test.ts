import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

let db: TestDatabase;
const note: TrackedTableSpec = {
  schema: 'public', table: 'note', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'body', type: 'text' }],
};

beforeAll(async () => {
  db = await createTestDatabase('history_append_only');
  await db.pool.query(`CREATE TABLE note (id int PRIMARY KEY, body text)`);
  await install(db.pool, [note]);
  await db.pool.query(`INSERT INTO note VALUES (1, 'a'), (2, 'b')`);
  await db.pool.query(`UPDATE note SET body = 'c' WHERE id = 1`);
});
afterAll(() => db.drop());

const count = async (table: string) => (await db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;

describe('history tables are append-only', () => {
  it.each(['rowtrail.diff', 'rowtrail.context', 'rowtrail.note_history'])('refuses UPDATE, DELETE and TRUNCATE of %s', async (table) => {
    const before = await count(table);
    for (const sql of [`UPDATE ${table} SET created_at = created_at`, `DELETE FROM ${table}`, `TRUNCATE ${table}`]) {
      const statement = table.endsWith('_history') ? sql.replace('created_at = created_at', 'rowtrail_label = rowtrail_label') : sql;
      await expect(db.pool.query(statement), statement).rejects.toMatchObject({
        code: 'RT001', message: expect.stringMatching(/append-only/), hint: 'History is append-only: for audited maintenance, call rowtrail.begin_maintenance(reason) first in the same transaction.',
      });
    }
    expect(await count(table)).toBe(before);
  });

  it('keeps capturing while refusing changes', async () => {
    await db.pool.query(`DELETE FROM note WHERE id = 2`);
    expect(await count('rowtrail.note_history')).toBe(4);
  });

  it('allows changes only inside an audited maintenance window', async () => {
    const client = await db.pool.connect();
    try {
      // a hand-set bypass without a maintenance log entry is refused
      await client.query('BEGIN');
      await client.query(`SELECT set_config('rowtrail.maintenance', '999', true)`);
      await expect(client.query(`DELETE FROM rowtrail.note_history`)).rejects.toMatchObject({ code: 'RT001' });
      await client.query('ROLLBACK');

      await client.query('BEGIN');
      const { rows } = await client.query(`SELECT rowtrail.begin_maintenance('retention: drop note history before id 2') AS id`);
      await client.query(`DELETE FROM rowtrail.note_history WHERE (rowtrail_record_key ->> 'id')::int < 2`);
      await client.query('COMMIT');
      const log = await client.query(`SELECT id, reason, db_user FROM rowtrail.maintenance_log`);
      expect(log.rows).toEqual([{ id: rows[0].id, reason: 'retention: drop note history before id 2', db_user: expect.any(String) }]);
      expect(await count('rowtrail.note_history')).toBe(2);

      // the window closed with the transaction; the log itself is never changed
      await expect(client.query(`DELETE FROM rowtrail.note_history`)).rejects.toMatchObject({ code: 'RT001' });
      await client.query('BEGIN');
      await client.query(`SELECT rowtrail.begin_maintenance('try to erase the log')`);
      await expect(client.query(`DELETE FROM rowtrail.maintenance_log`)).rejects.toMatchObject({ code: 'RT001', hint: 'The maintenance log is never changed, not even in a maintenance window.' });
      await client.query('ROLLBACK');
      await expect(client.query(`SELECT rowtrail.begin_maintenance('  ')`)).rejects.toMatchObject({ code: '23514' });
    } finally {
      client.release();
    }
  });
});
