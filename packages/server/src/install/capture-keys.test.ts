import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { install } from './installer.js';

let db: TestDatabase;
const spec: TrackedTableSpec = {
  schema: 'public', table: 'seat', primaryKey: ['hall', 'seat_no'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'hall', type: 'text' }, { name: 'seat_no', type: 'integer' }, { name: 'guest', type: 'text' }],
};

beforeAll(async () => {
  db = await createTestDatabase('capture_keys');
  // deferrable: checked at the end of the statement, so keys may shift and even swap
  await db.pool.query(`CREATE TABLE seat (hall text, seat_no int, guest text, PRIMARY KEY (hall, seat_no) DEFERRABLE INITIALLY IMMEDIATE)`);
  await install(db.pool, [spec]);
  await db.pool.query(`INSERT INTO seat VALUES ('A', 1, 'ann'), ('A', 2, 'bob'), ('A', 3, 'cy'), ('B', 1, 'dee')`);
});
afterAll(() => db.drop());

async function eventsOf(sql: string) {
  const { rows: [{ mark }] } = await db.pool.query(`SELECT coalesce(max(event_id), 0) AS mark FROM rowtrail.event`);
  await db.pool.query(sql);
  const { rows } = await db.pool.query(
    `SELECT d.record_key AS key, d.old_record_key AS old, d.changes, s.guest AS snapshot_guest
     FROM rowtrail.event d JOIN rowtrail.seat_history s ON s.rowtrail_event_id = d.event_id
     WHERE d.event_id > $1 ORDER BY s.guest`, [mark]);
  return rows;
}

describe('primary keys', () => {
  it('records a key change with old and new key when keys shift onto each other in one statement', async () => {
    expect(await eventsOf(`UPDATE seat SET seat_no = seat_no + 1 WHERE hall = 'A'`)).toEqual([
      { key: { hall: 'A', seat_no: 2 }, old: { hall: 'A', seat_no: 1 }, changes: { seat_no: [1, 2] }, snapshot_guest: 'ann' },
      { key: { hall: 'A', seat_no: 3 }, old: { hall: 'A', seat_no: 2 }, changes: { seat_no: [2, 3] }, snapshot_guest: 'bob' },
      { key: { hall: 'A', seat_no: 4 }, old: { hall: 'A', seat_no: 3 }, changes: { seat_no: [3, 4] }, snapshot_guest: 'cy' },
    ]);
  });

  it('records swapped keys without pairing a row with another row\'s old version', async () => {
    expect(await eventsOf(`UPDATE seat SET seat_no = 5 - seat_no, guest = upper(guest) WHERE hall = 'A' AND seat_no IN (2, 3)`)).toEqual([
      { key: { hall: 'A', seat_no: 3 }, old: { hall: 'A', seat_no: 2 }, changes: { seat_no: [2, 3], guest: ['ann', 'ANN'] }, snapshot_guest: 'ANN' },
      { key: { hall: 'A', seat_no: 2 }, old: { hall: 'A', seat_no: 3 }, changes: { seat_no: [3, 2], guest: ['bob', 'BOB'] }, snapshot_guest: 'BOB' },
    ]);
  });

  it('pairs rows by key again for ordinary updates, in the same transaction too', async () => {
    const rows = await eventsOf(`BEGIN; UPDATE seat SET seat_no = seat_no + 10 WHERE hall = 'B'; UPDATE seat SET guest = guest || '!'; COMMIT;`);
    expect(rows.map((r) => [r.key, r.old, r.changes])).toEqual([
      [{ hall: 'A', seat_no: 3 }, null, { guest: ['ANN', 'ANN!'] }],
      [{ hall: 'A', seat_no: 2 }, null, { guest: ['BOB', 'BOB!'] }],
      [{ hall: 'A', seat_no: 4 }, null, { guest: ['cy', 'cy!'] }],
      [{ hall: 'B', seat_no: 11 }, { hall: 'B', seat_no: 1 }, { seat_no: [1, 11] }],
      [{ hall: 'B', seat_no: 11 }, null, { guest: ['dee', 'dee!'] }],
    ]);
  });
});
