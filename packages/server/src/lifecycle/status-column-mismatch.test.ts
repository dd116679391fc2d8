import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from '../install/installer.js';
import { ColumnMismatchError } from '../install/trackable-table.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { status, type StatusEntry } from './status.js';

// An entity changed before the migration that changes its table has run: status says what install says (it refuses
// the table), rather than reporting a drift and advising an install that fails.
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('status_column_mismatch');
  await db.pool.query(`CREATE TABLE customer (id int PRIMARY KEY, name text, qty numeric(10,2))`);
  await db.pool.query(`CREATE TABLE invoice (id int PRIMARY KEY, total numeric)`);
});
afterAll(() => db.drop());

const spec = (table: string, columns: Array<[string, string]>): TrackedTableSpec => ({
  schema: 'public', table, primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: columns.map(([name, type]) => ({ name, type })),
});
const customer = (...extra: Array<[string, string]>) => spec('customer', [['id', 'integer'], ['name', 'text'], ['qty', 'numeric'], ...extra]);
const entry = async (declared: TrackedTableSpec[], kind: StatusEntry['kind'], table: string) =>
  (await status(db.pool, declared)).entries.find((e) => e.kind === kind && e.table === table);
const REMEDY = 'and install refuses it until they match: run the migrations that bring the table up to date first, or make the declaration match the table';

describe('status of a declaration whose columns the table does not have (yet)', () => {
  it('reports a declared column the table lacks as install does, not as drift; the drift once the migration has run', async () => {
    await install(db.pool, [customer()]);
    const declared = customer(['nickname', 'text']);
    await expect(install(db.pool, [declared])).rejects.toThrow(ColumnMismatchError);
    await expect(install(db.pool, [declared])).rejects.toThrow('column nickname is not in the table');

    const history = await entry([declared], 'history-table', 'public.customer');
    expect(history).toMatchObject({
      state: 'outdated',
      detail: `the table does not match the declared columns (column nickname is not in the table), ${REMEDY}`,
      columnMismatch: { missing: ['nickname'], retyped: [] },
      drift: { added: [], dropped: [], retyped: [] }, // not "+nickname": the table did not gain it, the declaration did
    });
    expect((await status(db.pool, [declared])).upToDate).toBe(false);

    // the migration runs: the usual drift, which install takes in
    await db.pool.query(`ALTER TABLE customer ADD COLUMN nickname text`);
    const migrated = await entry([declared], 'history-table', 'public.customer');
    expect(migrated).toMatchObject({ state: 'outdated', drift: { added: ['nickname'], dropped: [], retyped: [] } });
    expect(migrated).not.toHaveProperty('detail');
    expect(migrated).not.toHaveProperty('columnMismatch');
    await install(db.pool, [declared]);
    expect((await status(db.pool, [declared])).upToDate).toBe(true);
  });

  it('reports a column declared in a type history would change the table\'s values in', async () => {
    const declared = customer(['nickname', 'text']);
    const retyped = { ...declared, columns: declared.columns.map((c) => (c.name === 'qty' ? { ...c, type: 'integer' } : c)) };
    await expect(install(db.pool, [retyped])).rejects.toThrow('qty is numeric(10,2) in the table but declared integer');
    const history = await entry([retyped], 'history-table', 'public.customer');
    expect(history).toMatchObject({
      state: 'outdated',
      detail: `the table does not match the declared columns (qty is numeric(10,2) in the table but declared integer), ${REMEDY}`,
      columnMismatch: { missing: [], retyped: [{ name: 'qty', declared: 'integer', actual: 'numeric(10,2)', constrainedDomain: false }] },
      drift: { added: [], dropped: [], retyped: [] }, // not "qty numeric -> integer"
    });
    // a wider type holds the table's values: the usual drift, no mismatch
    await db.pool.query(`ALTER TABLE customer ALTER COLUMN qty TYPE integer`);
    const widened = { ...declared, columns: declared.columns.map((c) => (c.name === 'qty' ? { ...c, type: 'bigint' } : c)) };
    const drifted = await entry([widened], 'history-table', 'public.customer');
    expect(drifted).toMatchObject({ state: 'outdated', drift: { retyped: [{ name: 'qty', from: 'numeric', to: 'bigint' }] } });
    expect(drifted).not.toHaveProperty('detail');
  });

  it('reports a table not installed yet, whose declaration names a column it lacks', async () => {
    const declared = spec('invoice', [['id', 'integer'], ['total', 'numeric'], ['due_on', 'date']]);
    expect(await entry([declared], 'history-table', 'public.invoice')).toEqual({
      kind: 'history-table', table: 'public.invoice', name: 'rowtrail.invoice_history', state: 'missing',
      detail: `the table does not match the declared columns (column due_on is not in the table), ${REMEDY}`,
      columnMismatch: { missing: ['due_on'], retyped: [] },
    });
  });

  it('reports a column renamed in the declaration before its migration without drift of the old name the table still has', async () => {
    await db.pool.query(`CREATE TABLE person (id int PRIMARY KEY, name text)`);
    await install(db.pool, [spec('person', [['id', 'integer'], ['name', 'text']])]);
    const renamed = spec('person', [['id', 'integer'], ['full_name', 'text']]);
    expect(await entry([renamed], 'history-table', 'public.person')).toMatchObject({
      state: 'outdated',
      detail: `the table does not match the declared columns (column full_name is not in the table), ${REMEDY}`,
      drift: { added: [], dropped: [], retyped: [] }, // not "-name": the table still has it
    });
  });

  it('says why install refuses a table it cannot track (a partitioned table), not that a migration would help', async () => {
    await db.pool.query(`CREATE TABLE parted (id int PRIMARY KEY, v text) PARTITION BY RANGE (id)`);
    const declared = spec('parted', [['id', 'integer'], ['v', 'text'], ['nick', 'text']]);
    const history = await entry([declared], 'history-table', 'public.parted');
    expect(history?.detail).toMatch(/^install refuses it: it is a partitioned table/);
    expect(history?.detail).not.toContain('run the migrations');
  });
});

describe('status of a schema a later release installed', () => {
  it('says so, as install does, and is not up to date', async () => {
    const later = await createTestDatabase('status_later_release');
    try {
      await install(later.pool);
      await later.pool.query(`INSERT INTO rowtrail.migrations (id, name, hash) VALUES (999, 'from_the_future', 'abc')`);
      const result = await status(later.pool, []);
      expect(result.upToDate).toBe(false);
      expect(result.entries.find((e) => e.name === 'core version 999')).toMatchObject({
        kind: 'core-migration', state: 'outdated', detail: expect.stringMatching(/^a later release of Rowtrail installed this schema .*upgrade this application's @rowtrail\/server/),
      });
    } finally {
      await later.drop();
    }
  });
});
