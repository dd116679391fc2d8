// What a JavaScript caller may put in an export's selection: a filter selection without its filter, a record key of
// bigints or of numbers beyond doubles, an invalid Date. Each is refused naming the field, or exported as given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { prepareExport } from './diff-export.js';
import type { ExportSelection } from './export-format.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('export_selection_input');
  await db.pool.query(`CREATE TABLE big_account (id bigint PRIMARY KEY, v text)`);
  await install(db.pool, [{
    schema: 'public', table: 'big_account', primaryKey: ['id'], label: 'big_account', exclude: [], ignoreChanges: [],
    columns: [{ name: 'id', type: 'bigint' }, { name: 'v', type: 'text' }],
  }]);
  await db.pool.query(`INSERT INTO big_account VALUES (9223372036854775807, 'max'), (7, 'seven')`);
  await db.pool.query(`UPDATE big_account SET v = 'MAX' WHERE id = 9223372036854775807`);
});
afterAll(() => db.drop());

const exported = async (selection: ExportSelection) => {
  const prepared = await prepareExport(db.pool, selection);
  const chunks: string[] = [];
  for await (const chunk of prepared.stream('ndjson')) chunks.push(String(chunk));
  const [header, ...events] = chunks.join('').trim().split('\n');
  events.pop(); // the end line
  return { header, events };
};

describe('an export selection given in code', () => {
  it('refuses a filter selection without its filter, naming it', async () => {
    await expect(prepareExport(db.pool, { kind: 'filter' } as unknown as ExportSelection))
      .rejects.toMatchObject({ name: 'RowtrailQueryError', parameter: 'filter', message: expect.stringContaining('filter: is missing') });
  });

  it('exports a filter whose recordKey holds a bigint, its header writing the key as the number it is', async () => {
    const { header, events } = await exported({ kind: 'filter', filter: { tables: ['big_account'], recordKey: { id: 9223372036854775807n } } });
    expect(events).toHaveLength(2);
    expect(header).toContain('"recordKey":{"id":9223372036854775807}');
  });

  it('writes a recordKey given as a digit string of a numeric column as a number, as a record selection\'s key', async () => {
    const { header } = await exported({ kind: 'filter', filter: { tables: ['big_account'], recordKey: { id: '9223372036854775807' } } });
    expect(header).toContain('"recordKey":{"id":9223372036854775807}');
    const record = await exported({ kind: 'record', table: 'big_account', key: { id: '9223372036854775807' } });
    expect(record.header).toContain('"key":{"id":9223372036854775807}');
  });

  it('says an invalid Date is invalid', async () => {
    await expect(prepareExport(db.pool, { kind: 'filter', filter: { to: new Date('garbage') } }))
      .rejects.toMatchObject({ parameter: 'to', message: expect.stringMatching(/^to: .*invalid Date/) });
  });
});
