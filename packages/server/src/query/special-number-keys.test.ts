// A float or numeric primary key may hold NaN and ±Infinity. The capture writes them into the record key as JSON strings,
// as exports and the feed show them; the key as shown must find the record again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareExport } from '../export/diff-export.js';
import { parseExport } from '../export/export-format.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { activityFeed } from './activity-feed.js';
import { recordHistory } from './record-history.js';
import { recordStateAt } from './record-state.js';

let db: TestDatabase;
const keyTypes = { by_float: 'double precision', by_real: 'real', by_numeric: 'numeric' } as const;

beforeAll(async () => {
  db = await createTestDatabase('special_number_keys');
  for (const [table, type] of Object.entries(keyTypes)) {
    await db.pool.query(`CREATE TABLE ${table} (id ${type} PRIMARY KEY, v text)`);
    await db.pool.query(`INSERT INTO ${table} VALUES ('NaN', 'a'), ('Infinity', 'b'), ('-Infinity', 'c'), (1.5, 'd')`);
  }
  await install(db.pool, Object.entries(keyTypes).map(([table, type]) => idValueSpec(table, 'text', { label: table, columns: [{ name: 'id', type }, { name: 'v', type: 'text' }] })));
  for (const table of Object.keys(keyTypes)) await db.pool.query(`UPDATE ${table} SET v = v || '2'`);
});
afterAll(() => db.drop());

describe('NaN and ±Infinity keys', () => {
  for (const table of Object.keys(keyTypes)) {
    it(`find their record as exports show the key, as a string or a JS number (${keyTypes[table as keyof typeof keyTypes]})`, async () => {
      const { events: all } = await activityFeed(db.pool, { tables: [table] });
      expect(all.map((e) => String(e.recordKey.id)).sort()).toEqual(['-Infinity', '1.5', 'Infinity', 'NaN']);
      for (const [given, shown, v] of [['NaN', 'NaN', 'a2'], [Number.NaN, 'NaN', 'a2'], ['Infinity', 'Infinity', 'b2'], [Number.POSITIVE_INFINITY, 'Infinity', 'b2'], ['-Infinity', '-Infinity', 'c2'], [Number.NEGATIVE_INFINITY, '-Infinity', 'c2']] as const) {
        const { events } = await recordHistory(db.pool, table, { id: given });
        expect(events.map((e) => [e.recordKey.id, e.snapshot.v]), `${table} ${String(given)}`).toEqual([[shown, v]]);
        expect((await activityFeed(db.pool, { tables: [table], recordKey: { id: given } })).events).toHaveLength(1);
        expect((await recordStateAt(db.pool, table, { id: given }, new Date(Date.now() + 60_000))).exists).toBe(true);
      }
      let text = '';
      for await (const chunk of (await prepareExport(db.pool, { kind: 'record', table, key: { id: 'NaN' } })).stream('ndjson')) text += String(chunk);
      expect(parseExport(text, 'ndjson').events.map((e) => e.recordKey)).toEqual([{ id: 'NaN' }]);
      // an ordinary number as before
      expect((await recordHistory(db.pool, table, { id: 1.5 })).events.map((e) => e.snapshot.v)).toEqual(['d2']);
    });
  }

  it('are still refused where the key column cannot hold them, naming the parameter', async () => {
    await db.pool.query(`CREATE TABLE by_int (id integer PRIMARY KEY, v text)`);
    await install(db.pool, [idValueSpec('by_int', 'text', { label: 'by_int' })]);
    await expect(recordHistory(db.pool, 'by_int', { id: 'NaN' })).rejects.toMatchObject({ status: 400, parameter: 'key.id', message: expect.stringContaining('must be a number, got "NaN"') });
    await expect(recordHistory(db.pool, 'by_int', { id: 'nan' })).rejects.toMatchObject({ status: 400 });
  });
});
