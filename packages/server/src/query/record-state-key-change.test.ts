// A key change is recorded once, under the record's new key, naming the old key (oldRecordKey). The record's
// state under its old key after the change is therefore "no longer there", which only that event tells.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { recordHistory } from './record-history.js';
import { recordStateAt } from './record-state.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('record_state_key_change');
  await db.pool.query(`CREATE TABLE customer (id integer PRIMARY KEY DEFERRABLE, v text)`);
  await install(db.pool, [idValueSpec('customer')]);
});
afterAll(() => db.drop());

const later = () => new Date(Date.now() + 60_000);
const state = async (id: number, at: Date | string) => {
  const { exists, event } = await recordStateAt(db.pool, 'public.customer', { id }, at);
  return { exists, operation: event?.operation, recordKey: event?.recordKey, oldRecordKey: event?.oldRecordKey, snapshot: event?.snapshot };
};

describe('recordStateAt across a key change', () => {
  it('reports the old key as no longer existing after the change, naming the key change, and the new key as existing', async () => {
    await db.pool.query(`INSERT INTO customer VALUES (6, 'Farid')`);
    await db.pool.query(`UPDATE customer SET v = 'Farid H.' WHERE id = 6`);
    await db.pool.query(`UPDATE customer SET id = 106 WHERE id = 6`);
    const [update] = (await recordHistory(db.pool, 'public.customer', { id: 6 })).events;

    expect(await state(6, update.createdAt)).toEqual({ exists: true, operation: 'UPDATE', recordKey: { id: 6 }, oldRecordKey: null, snapshot: { id: 6, v: 'Farid H.' } });
    expect(await state(6, later())).toEqual({ exists: false, operation: 'UPDATE', recordKey: { id: 106 }, oldRecordKey: { id: 6 }, snapshot: { id: 106, v: 'Farid H.' } });
    expect(await state(106, later())).toEqual({ exists: true, operation: 'UPDATE', recordKey: { id: 106 }, oldRecordKey: { id: 6 }, snapshot: { id: 106, v: 'Farid H.' } });
  });

  it('reports both keys of a swap in one statement as existing, each with the other\'s row, whichever event came first', async () => {
    await db.pool.query(`INSERT INTO customer VALUES (70, 'x'), (71, 'y')`);
    await db.pool.query(`UPDATE customer SET id = CASE id WHEN 70 THEN 71 ELSE 70 END WHERE id IN (70, 71)`);
    expect(await state(70, later())).toMatchObject({ exists: true, oldRecordKey: { id: 71 }, snapshot: { id: 70, v: 'y' } });
    expect(await state(71, later())).toMatchObject({ exists: true, oldRecordKey: { id: 70 }, snapshot: { id: 71, v: 'x' } });
    // a later statement that moves one of them away still ends it
    await db.pool.query(`UPDATE customer SET id = 72 WHERE id = 71`);
    expect(await state(71, later())).toMatchObject({ exists: false, recordKey: { id: 72 } });
  });

  it('tells a record moved through a key by two statements of one message or function from a chain in one statement', async () => {
    // the statements of one simple-query message share the transaction and the statement time
    await db.pool.query(`INSERT INTO customer VALUES (80, 'a'); UPDATE customer SET id = 81 WHERE id = 80; UPDATE customer SET id = 82 WHERE id = 81`);
    expect(await state(81, later())).toMatchObject({ exists: false, recordKey: { id: 82 }, oldRecordKey: { id: 81 } });
    expect(await state(82, later())).toMatchObject({ exists: true, snapshot: { id: 82, v: 'a' } });
    await db.pool.query(`INSERT INTO customer VALUES (85, 'b')`);
    await db.pool.query(`DO $$ BEGIN UPDATE customer SET id = 86 WHERE id = 85; UPDATE customer SET id = 87 WHERE id = 86; END $$`);
    expect(await state(86, later())).toMatchObject({ exists: false, recordKey: { id: 87 } });
    // one statement moving two rows up by one (90 to 91 and 91 to 92, in either order): 91 holds the row from 90
    await db.pool.query(`INSERT INTO customer VALUES (90, 'c'), (91, 'd')`);
    await db.pool.query(`UPDATE customer SET id = id + 1 WHERE id IN (90, 91)`);
    expect(await state(90, later())).toMatchObject({ exists: false, recordKey: { id: 91 } });
    expect(await state(91, later())).toMatchObject({ exists: true, oldRecordKey: { id: 90 }, snapshot: { id: 91, v: 'c' } });
    expect(await state(92, later())).toMatchObject({ exists: true, oldRecordKey: { id: 91 }, snapshot: { id: 92, v: 'd' } });
  });

  it('reports both keys of a swap as existing when a trigger updated the rows after their key changes', async () => {
    await db.pool.query(`CREATE TABLE pair (id integer PRIMARY KEY DEFERRABLE, v text)`);
    await install(db.pool, [idValueSpec('customer'), idValueSpec('pair')]);
    await db.pool.query(`CREATE FUNCTION touch_pair() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE pair SET v = v || '!' WHERE id = NEW.id; RETURN NULL; END $$`);
    await db.pool.query(`CREATE TRIGGER z_touch AFTER UPDATE ON pair FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION touch_pair()`);
    await db.pool.query(`INSERT INTO pair VALUES (1, 'a'), (2, 'b')`);
    await db.pool.query(`UPDATE pair SET id = CASE id WHEN 1 THEN 2 ELSE 1 END WHERE id IN (1, 2)`);
    const pair = async (id: number) => {
      const { exists, event } = await recordStateAt(db.pool, 'public.pair', { id }, later());
      return { exists, snapshot: event?.snapshot };
    };
    expect(await pair(1)).toEqual({ exists: true, snapshot: { id: 1, v: 'b!' } });
    expect(await pair(2)).toEqual({ exists: true, snapshot: { id: 2, v: 'a!' } });
  });

  it('reads key changes recorded before history named their statement by transaction and statement time', async () => {
    await db.pool.query(`INSERT INTO customer VALUES (95, 'x'), (96, 'y')`);
    await db.pool.query(`UPDATE customer SET id = CASE id WHEN 95 THEN 96 ELSE 95 END WHERE id IN (95, 96)`);
    // as an earlier capture wrote them: without the statement, each stamped with the statement's start (in a logged
    // maintenance window, history being append-only)
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT rowtrail.begin_maintenance('test: key changes as recorded before the statement column')`);
      await client.query(`UPDATE rowtrail.customer_history h SET rowtrail_key_change_statement = NULL,
          rowtrail_created_at = CASE WHEN h.rowtrail_old_record_key IS NOT NULL THEN first.at ELSE h.rowtrail_created_at END
        FROM (SELECT min(rowtrail_created_at) AS at FROM rowtrail.customer_history WHERE rowtrail_old_record_key IS NOT NULL AND rowtrail_record_key IN ('{"id": 95}', '{"id": 96}')) first
        WHERE h.rowtrail_record_key IN ('{"id": 95}', '{"id": 96}')`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await state(95, later())).toMatchObject({ exists: true, snapshot: { id: 95, v: 'y' } });
    expect(await state(96, later())).toMatchObject({ exists: true, snapshot: { id: 96, v: 'x' } });
  });

  it('reports the old key as existing again once a row has it again: inserted, or moved back', async () => {
    await db.pool.query(`INSERT INTO customer VALUES (6, 'Nina')`);
    expect(await state(6, later())).toMatchObject({ exists: true, operation: 'INSERT', snapshot: { id: 6, v: 'Nina' } });

    await db.pool.query(`INSERT INTO customer VALUES (7, 'Omar')`);
    await db.pool.query(`UPDATE customer SET id = 107 WHERE id = 7`);
    expect(await state(7, later())).toMatchObject({ exists: false, recordKey: { id: 107 }, oldRecordKey: { id: 7 } });
    await db.pool.query(`UPDATE customer SET id = 7 WHERE id = 107`);
    expect(await state(7, later())).toMatchObject({ exists: true, recordKey: { id: 7 }, oldRecordKey: { id: 107 } });
    expect(await state(107, later())).toMatchObject({ exists: false, recordKey: { id: 7 }, oldRecordKey: { id: 107 } });
  });

  it('finds the key change of a timestamptz key written by sessions in different time zones', async () => {
    // The jsonb key holds the writer's zone: the insert's key reads "…21:00:00+09:00", the key change's old key "…12:00:00+00:00".
    await db.pool.query(`CREATE TABLE slot (at timestamptz, room integer, v text, PRIMARY KEY (at, room))`);
    await install(db.pool, [idValueSpec('slot', 'text', { primaryKey: ['at', 'room'], columns: [{ name: 'at', type: 'timestamp(3) with time zone' }, { name: 'room', type: 'integer' }, { name: 'v', type: 'text' }] })]);
    const client = await db.pool.connect();
    try {
      await client.query(`SET TimeZone = 'Asia/Tokyo'`);
      await client.query(`INSERT INTO slot VALUES ('2024-05-01 12:00+00', 1, 'a'), ('2024-05-01 12:00+00', 2, 'b')`);
      await client.query(`SET TimeZone = 'UTC'`);
      await client.query(`UPDATE slot SET at = '2024-06-01 00:00+00' WHERE room = 1`);
    } finally {
      await client.query('RESET TimeZone');
      client.release();
    }
    const slot = async (room: number, at: string) => {
      const { exists, event } = await recordStateAt(db.pool, 'public.slot', { at, room }, later());
      return { exists, operation: event?.operation, oldRecordKey: event?.oldRecordKey };
    };
    expect(await slot(1, '2024-05-01T12:00:00Z')).toEqual({ exists: false, operation: 'UPDATE', oldRecordKey: { at: '2024-05-01T12:00:00+00:00', room: 1 } });
    expect(await slot(1, '2024-06-01T09:00:00+09:00')).toMatchObject({ exists: true, operation: 'UPDATE' });
    // the same instant, another room: not moved
    expect(await slot(2, '2024-05-01T12:00:00Z')).toEqual({ exists: true, operation: 'INSERT', oldRecordKey: null });
  });

  it('finds the key change through the history table\'s partial index on the old key', async () => {
    const { rows } = await db.pool.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'rowtrail' AND indexname = 'customer_history_old_key_idx'`);
    expect(rows).toEqual([{ indexdef: 'CREATE INDEX customer_history_old_key_idx ON rowtrail.customer_history USING btree (rowtrail_old_record_key, rowtrail_event_id) WHERE (rowtrail_old_record_key IS NOT NULL)' }]);
  });
});
