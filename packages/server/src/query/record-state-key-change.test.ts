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
  await db.pool.query(`CREATE TABLE customer (id integer PRIMARY KEY, v text)`);
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

  it('finds the key change through the history table\'s partial index on the old key', async () => {
    const { rows } = await db.pool.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'rowtrail' AND indexname = 'customer_history_old_key_idx'`);
    expect(rows).toEqual([{ indexdef: 'CREATE INDEX customer_history_old_key_idx ON rowtrail.customer_history USING btree (rowtrail_old_record_key, rowtrail_event_id) WHERE (rowtrail_old_record_key IS NOT NULL)' }]);
  });
});
