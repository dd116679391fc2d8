// Protections on fields whose type has no equality operator (json, xml, point), or whose equality takes different values
// for equal (interval: 1 mon = 30 days): compared as text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import type { ProtectedTableSpec } from './protection-spec.js';

let db: TestDatabase;

const spec: ProtectedTableSpec = {
  schema: 'public', table: 'shape', primaryKey: ['id'],
  columns: [
    { name: 'id', type: 'integer' }, { name: 'settings', type: 'json' }, { name: 'doc', type: 'xml' },
    { name: 'origin', type: 'point' }, { name: 'tags', type: 'json[]' }, { name: 'stage', type: 'json' }, { name: 'note', type: 'text' },
    { name: 'period', type: 'interval' },
  ],
  protections: [
    { kind: 'read_only', name: 'frozen', fields: ['settings', 'doc', 'origin', 'tags'] },
    { kind: 'read_only', name: 'fixed_term', fields: ['period'] },
    { kind: 'fsm', name: 'stage_flow', field: 'stage', transitions: [['"draft"', '"published"']] },
  ],
};

beforeAll(async () => {
  db = await createTestDatabase('protection_field_types');
  await db.pool.query(`CREATE TABLE shape (id int PRIMARY KEY, settings json, doc xml, origin point, tags json[], stage json, note text, period interval)`);
  await install(db.pool, [], { protections: [spec] });
  await db.pool.query(`INSERT INTO shape VALUES (1, '{"a": 1}', '<a/>', '(1,2)', ARRAY['1'::json], '"draft"', 'x', '1 mon')`);
});
afterAll(() => db.drop());

describe('protections on json, xml and point fields', () => {
  it('refuses changes of read-only json, xml, point and json[] fields and lets other updates through', async () => {
    for (const set of [`settings = '{"a": 2}'`, `doc = '<b/>'`, `origin = '(3,4)'`, `tags = ARRAY['2'::json]`]) {
      await expect(db.pool.query(`UPDATE shape SET ${set} WHERE id = 1`), set).rejects.toMatchObject({ code: 'RT001' });
    }
    await db.pool.query(`UPDATE shape SET note = 'y', settings = '{"a": 1}', origin = '(1,2)' WHERE id = 1`); // same values: no change
    expect((await db.pool.query(`SELECT note FROM shape`)).rows).toEqual([{ note: 'y' }]);
  });

  it('names the fields it refuses as its WHEN compares them: json as text, so a change of whitespace or key order is one', async () => {
    const refused = async (set: string) => {
      const error = await db.pool.query(`UPDATE shape SET ${set} WHERE id = 1`).then(() => undefined, (e: { code?: string; message: string; detail?: string }) => e);
      expect(error, set).toMatchObject({ code: 'RT001' });
      return { message: error!.message, fields: JSON.parse(error!.detail!).fields };
    };
    expect(await refused(`settings = '{"a":1}'`)).toEqual({ // stored as '{"a": 1}'
      message: 'rowtrail: cannot update read-only field(s) settings of table public.shape (protection "frozen")', fields: ['settings'],
    });
    expect((await refused(`note = 'z', tags = ARRAY['1'::json], settings = '{"a" : 1}', doc = '<b/>'`)).fields).toEqual(['settings', 'doc']);
    expect((await db.pool.query(`SELECT settings::text, note FROM shape`)).rows).toEqual([{ settings: '{"a": 1}', note: 'y' }]);
  });

  it('refuses a read-only interval changed to a value its "=" calls equal but date arithmetic does not (1 mon to 30 days)', async () => {
    for (const period of ['30 days', '4 weeks 2 days', '720 hours']) {
      await expect(db.pool.query(`UPDATE shape SET period = '${period}' WHERE id = 1`), period).rejects.toMatchObject({
        code: 'RT001', message: 'rowtrail: cannot update read-only field(s) period of table public.shape (protection "fixed_term")',
      });
    }
    await db.pool.query(`UPDATE shape SET period = interval '1 month' WHERE id = 1`); // the same value written another way
    expect((await db.pool.query(`SELECT period::text FROM shape`)).rows).toEqual([{ period: '1 mon' }]);
  });

  it('checks FSM transitions of a json field', async () => {
    await expect(db.pool.query(`UPDATE shape SET stage = '"archived"' WHERE id = 1`)).rejects.toMatchObject({ code: 'RT001' });
    await db.pool.query(`UPDATE shape SET stage = '"published"' WHERE id = 1`);
    expect((await db.pool.query(`SELECT stage::text FROM shape`)).rows).toEqual([{ stage: '"published"' }]);
  });
});
