// Filters and export selections given in JavaScript, where TypeScript's types do not reach: a wrong kind of value is a
// 400 naming the field, before any query runs, never a TypeError from inside or a field silently ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareExport } from '../export/diff-export.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { activityBuckets } from './activity-buckets.js';
import { activityFeed } from './activity-feed.js';
import type { EventFilter } from './event-filter.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('query_input_shape');
  await db.pool.query(`CREATE TABLE note (id integer PRIMARY KEY, v text)`);
  await install(db.pool, [idValueSpec('note')]);
  await db.pool.query(`INSERT INTO note VALUES (1, 'a'), (2, 'b')`);
});
afterAll(() => db.drop());

const untyped = (value: unknown) => value as EventFilter;
const refused = (parameter: string, message: RegExp) => ({ name: 'RowtrailQueryError', status: 400, code: 'invalid_parameter', parameter, message: expect.stringMatching(message) });

describe('a filter given in JavaScript', () => {
  it('refuses a field with the wrong kind of value, naming the field', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ tables: 'note' }, 'tables', /^tables: must be an array of table names such as \["public.account"\], got "note"$/],
      [{ operations: 'UPDATE' }, 'operations', /^operations: must be an array of "INSERT", "UPDATE" and "DELETE", got "UPDATE"$/],
      [{ user: { name: 'ann' } }, 'user', /^user: must be a string or a number, got an object$/],
      [{ from: 1_700_000_000_000 }, 'from', /^from: must be a Date or an ISO 8601 string, got 1700000000000$/],
      [{ recordKey: [1] }, 'recordKey', /^recordKey: must be an object of key columns/],
      [{ metadata: { tenant: ['a'] } }, 'metadata', /^metadata: must be an object of strings/],
      [{ after: 7 }, 'after', /^after: must be a string: a watermark is the "watermark" of an earlier export's header, such as "742:745:743", got 7$/],
      ['note', 'filter', /^filter: must be an object of filter fields, got "note"$/],
    ];
    for (const [filter, parameter, message] of cases) {
      await expect(activityFeed(db.pool, untyped(filter))).rejects.toMatchObject(refused(parameter, message));
      await expect(activityBuckets(db.pool, untyped(filter))).rejects.toMatchObject(refused(parameter, message));
      await expect(prepareExport(db.pool, { kind: 'filter', filter: untyped(filter) })).rejects.toMatchObject(refused(parameter, message));
    }
  });

  it('refuses a misspelt field instead of ignoring it (an export of everything)', async () => {
    const misspelt = untyped({ table: ['public.note'] });
    await expect(prepareExport(db.pool, { kind: 'filter', filter: misspelt })).rejects.toMatchObject(refused('table', /^table: is not a filter field \(those are tables, operations, user, requestId, dbUser, contextId, metadata, recordKey, changed, from, to, after\)$/));
    await expect(activityFeed(db.pool, misspelt)).rejects.toMatchObject(refused('table', /is not a filter field/));
  });

  it('takes every field of the right kind, undefined ones included', async () => {
    const filter = { tables: ['note'], operations: ['INSERT' as const], user: undefined, from: new Date(0), to: '2999-01-01', metadata: undefined };
    expect((await activityFeed(db.pool, filter)).events).toHaveLength(2);
    expect((await activityBuckets(db.pool, filter)).buckets).toHaveLength(1);
    expect(await (await prepareExport(db.pool, { kind: 'filter', filter })).count()).toBe(2);
  });
});

describe('an export selection and format given in JavaScript', () => {
  it('refuses an unknown kind, a missing field and a format that is not json or ndjson', async () => {
    await expect(prepareExport(db.pool, { kind: 'nope' } as never)).rejects.toMatchObject(refused('kind', /^kind: must be "record", "context" or "filter", got "nope"$/));
    await expect(prepareExport(db.pool, null as never)).rejects.toMatchObject(refused('selection', /^selection: must be an object/));
    await expect(prepareExport(db.pool, { kind: 'record', table: 'note' } as never)).rejects.toMatchObject(refused('key', /^key: must be an object of key columns/));
    await expect(prepareExport(db.pool, { kind: 'context' } as never)).rejects.toMatchObject(refused('contextId', /^contextId: must be a UUID string$/));
    const prepared = await prepareExport(db.pool, { kind: 'record', table: 'note', key: { id: 1 } });
    const xml = 'xml' as never;
    expect(() => prepared.fileName(xml)).toThrow(expect.objectContaining(refused('format', /^format: must be "json" or "ndjson", got "xml"$/)));
    expect(() => prepared.stream(xml)).toThrow(/format: must be "json" or "ndjson"/);
    await expect(prepared.open(xml)).rejects.toMatchObject(refused('format', /format/));
    expect(prepared.fileName('ndjson')).toMatch(/\.ndjson$/);
  });

  it('refuses a field of another kind of selection instead of ignoring it (a whole history for a time range)', async () => {
    const record = { kind: 'record', table: 'note', key: { id: 1 }, from: '2024-01-01' } as never;
    await expect(prepareExport(db.pool, record)).rejects.toMatchObject(refused('from', /^from: is not a field of a record selection \(those are kind, table, key; filters go in \{ kind: "filter", filter \}\)$/));
    const context = { kind: 'context', contextId: '00000000-0000-0000-0000-000000000000', user: 'ann' } as never;
    await expect(prepareExport(db.pool, context)).rejects.toMatchObject(refused('user', /^user: is not a field of a context selection/));
    const filter = { kind: 'filter', filter: {}, tables: ['note'] } as never;
    await expect(prepareExport(db.pool, filter)).rejects.toMatchObject(refused('tables', /^tables: is not a field of a filter selection \(those are kind, filter\)$/));
    expect(await (await prepareExport(db.pool, { kind: 'record', table: 'note', key: { id: 1 }, ...{ extra: undefined } })).count()).toBe(1);
  });
});
