// A key change is filed under the new key. A record's history under its old key lists it too, flagged movedAway, at its
// place in event order: the boundary between the record that left the key and one that had it later (a reused key, a swap).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { compareVersions } from './compare-versions.js';
import type { HistoryEvent } from './event-types.js';
import { recordHistory } from './record-history.js';
import { prepareExport } from '../export/diff-export.js';
import { parseExport } from '../export/export-format.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('record_history_moved_away');
  await db.pool.query(`CREATE TABLE customer (id integer PRIMARY KEY DEFERRABLE, v text)`);
  await db.pool.query(`CREATE TABLE token (id uuid PRIMARY KEY, v text)`);
  await install(db.pool, [idValueSpec('customer'), idValueSpec('token', 'text', { columns: [{ name: 'id', type: 'uuid' }, { name: 'v', type: 'text' }] })]);
});
afterAll(() => db.drop());

type Row = [string, string | undefined, boolean];
/** operation, v, movedAway of each event */
const rows = (events: HistoryEvent[]): Row[] => events.map((e) => [e.operation, e.snapshot.v as string | undefined, e.movedAway === true]);

async function walk(key: Record<string, unknown>, order: 'asc' | 'desc', limit: number, table = 'public.customer'): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let cursor: string | null = null;
  do {
    const page = await recordHistory(db.pool, table, key, { order, limit, cursor, movedAway: true });
    events.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor);
  return events;
}

describe('recordHistory across key changes away from its key', () => {
  it('lists the key change away from a reused key, flagged, between the two records, on every page size and in both orders', async () => {
    await db.pool.query(`INSERT INTO customer VALUES (6, 'Farid')`);
    await db.pool.query(`UPDATE customer SET v = 'Farid H.' WHERE id = 6`);
    await db.pool.query(`UPDATE customer SET id = 60 WHERE id = 6`);
    await db.pool.query(`INSERT INTO customer VALUES (6, 'New Six')`);
    await db.pool.query(`UPDATE customer SET v = 'New Six!' WHERE id = 6`);

    const { events, nextCursor } = await recordHistory(db.pool, 'public.customer', { id: 6 }, { movedAway: true });
    expect(nextCursor).toBeNull();
    expect(rows(events)).toEqual([
      ['UPDATE', 'New Six!', false], ['INSERT', 'New Six', false],
      ['UPDATE', 'Farid H.', true],
      ['UPDATE', 'Farid H.', false], ['INSERT', 'Farid', false],
    ]);
    expect(events[2]).toMatchObject({ recordKey: { id: 60 }, oldRecordKey: { id: 6 }, movedAway: true });
    expect(events.filter((e) => e !== events[2]).every((e) => !('movedAway' in e))).toBe(true);
    for (const limit of [1, 2, 3, 50]) {
      expect((await walk({ id: 6 }, 'desc', limit)).map((e) => e.eventId), `limit ${limit}`).toEqual(events.map((e) => e.eventId));
      expect((await walk({ id: 6 }, 'asc', limit)).map((e) => e.eventId), `limit ${limit}`).toEqual(events.map((e) => e.eventId).reverse());
    }
    // without the option, the versions under the key alone, as before
    expect(rows((await recordHistory(db.pool, 'public.customer', { id: 6 })).events).map(([, v]) => v)).toEqual(['New Six!', 'New Six', 'Farid H.', 'Farid']);
    // under the new key the key change is the record's version, not a move away
    expect(rows((await recordHistory(db.pool, 'public.customer', { id: 60 }, { movedAway: true })).events)).toEqual([['UPDATE', 'Farid H.', false]]);
    // a key given as digits names the same record
    expect((await recordHistory(db.pool, 'public.customer', { id: '006' }, { movedAway: true })).events.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
  });

  it('puts the key change away below the row that arrived at the key in the same statement, whichever was recorded first', async () => {
    for (const [a, b] of [[1, 2], [4, 3]]) {
      // rows are updated in the order they were inserted: the row leaving a, then the row arriving there, and the other way round
      await db.pool.query(`INSERT INTO customer VALUES (${a}, 'was ${a}'), (${b}, 'was ${b}')`);
      await db.pool.query(`UPDATE customer SET id = ${a + b} - id WHERE id IN (${a}, ${b})`);
      for (const [key, other] of [[a, b], [b, a]]) {
        const events = await walk({ id: key }, 'desc', 1);
        expect(rows(events), `key ${key}`).toEqual([['UPDATE', `was ${other}`, false], ['UPDATE', `was ${key}`, true], ['INSERT', `was ${key}`, false]]);
        expect(events[0].oldRecordKey).toEqual({ id: other });
        expect(events[1].recordKey).toEqual({ id: other });
        expect((await walk({ id: key }, 'asc', 1)).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId).reverse());
        expect((await walk({ id: key }, 'desc', 2)).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
      }
    }
  });

  it('lists a record that left and came back with a boundary at each key', async () => {
    await db.pool.query(`INSERT INTO customer VALUES (7, 'Omar')`);
    await db.pool.query(`UPDATE customer SET id = 107 WHERE id = 7`);
    await db.pool.query(`UPDATE customer SET id = 7 WHERE id = 107`);
    expect(rows(await walk({ id: 7 }, 'desc', 1))).toEqual([['UPDATE', 'Omar', false], ['UPDATE', 'Omar', true], ['INSERT', 'Omar', false]]);
    expect(rows(await walk({ id: 107 }, 'desc', 1))).toEqual([['UPDATE', 'Omar', true], ['UPDATE', 'Omar', false]]);
  });

  it('matches the old key by type (a uuid in any case)', async () => {
    const id = '0b5a1c1e-8f0e-4c0a-9a55-3d2c1b0a9f8e';
    await db.pool.query(`INSERT INTO token VALUES ($1, 'first')`, [id]);
    await db.pool.query(`UPDATE token SET id = gen_random_uuid() WHERE id = $1`, [id]);
    await db.pool.query(`INSERT INTO token VALUES ($1, 'second')`, [id]);
    expect(rows(await walk({ id: id.toUpperCase() }, 'desc', 1, 'public.token'))).toEqual([['INSERT', 'second', false], ['UPDATE', 'first', true], ['INSERT', 'first', false]]);
  });
});

describe('compareVersions across a key change away', () => {
  it('refuses two versions of different records that had the key, naming the key change, and compares one record\'s versions', async () => {
    await db.pool.query(`INSERT INTO customer VALUES (9, 'Ines')`);
    await db.pool.query(`UPDATE customer SET v = 'Ines B.' WHERE id = 9`);
    await db.pool.query(`UPDATE customer SET id = 90 WHERE id = 9`);
    await db.pool.query(`INSERT INTO customer VALUES (9, 'Nine')`);
    const [nine, moved, inesUpdate, inesInsert] = (await recordHistory(db.pool, 'public.customer', { id: 9 }, { movedAway: true })).events;
    expect(moved.movedAway).toBe(true);
    const refused = compareVersions(db.pool, 'public.customer', { id: 9 }, inesUpdate.eventId, nine.eventId);
    await expect(refused).rejects.toMatchObject({ status: 404, code: 'not_found', parameter: 'from' });
    await expect(refused).rejects.toThrow(`from: events ${inesUpdate.eventId} and ${nine.eventId} are on the two sides of event ${moved.eventId}, which moved the record of event ${inesUpdate.eventId} from the key {"id":9} of public.customer to the key {"id":90}: compare versions on one side of it (the record's later versions are under its new key)`);
    await expect(compareVersions(db.pool, 'public.customer', { id: 9 }, nine.eventId, inesInsert.eventId)).rejects.toMatchObject({ status: 404, parameter: 'to' });
    expect((await compareVersions(db.pool, 'public.customer', { id: 9 }, inesInsert.eventId, inesUpdate.eventId)).changes).toEqual({ v: ['Ines', 'Ines B.'] });
    expect((await compareVersions(db.pool, 'public.customer', { id: 9 }, nine.eventId, nine.eventId)).changes).toEqual({});
  });
});

describe('a record export under a key the record left', () => {
  it('ends with the key change away, as the history under that key does: not as if the record still had the key', async () => {
    await db.pool.query(`INSERT INTO customer VALUES (802, 'Bob')`);
    await db.pool.query(`UPDATE customer SET v = 'Bobby' WHERE id = 802`);
    await db.pool.query(`UPDATE customer SET id = 820 WHERE id = 802`);
    const exported = async (key: Record<string, unknown>) => {
      let text = '';
      for await (const chunk of (await prepareExport(db.pool, { kind: 'record', table: 'customer', key })).stream('ndjson')) text += String(chunk);
      return parseExport(text, 'ndjson').events.map((e) => [e.operation, e.recordKey, e.oldRecordKey ?? null, e.eventId]);
    };
    const history = (await recordHistory(db.pool, 'public.customer', { id: 802 }, { order: 'asc', movedAway: true })).events;
    const underOldKey = await exported({ id: 802 });
    expect(underOldKey.map(([operation, key, oldKey]) => [operation, key, oldKey])).toEqual([
      ['INSERT', { id: 802 }, null], ['UPDATE', { id: 802 }, null], ['UPDATE', { id: 820 }, { id: 802 }],
    ]);
    expect(underOldKey.map((e) => e[3])).toEqual(history.map((e) => e.eventId));
    // under the new key, the key change is its first version
    expect((await exported({ id: 820 })).map(([operation, key, oldKey]) => [operation, key, oldKey])).toEqual([['UPDATE', { id: 820 }, { id: 802 }]]);
  });
});
