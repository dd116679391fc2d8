import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from '../install/installer.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { runAsMigration } from '../testing/run-as-migration.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { compareVersions } from './compare-versions.js';
import { recordHistory } from './record-history.js';
import { recordStateAt } from './record-state.js';

// A retype renames a history column's older values to "<name>__<old type>" (lifecycle.md). Snapshots showed them
// under that name, with the column itself null: compareVersions said qty went from null to 4.125.
let db: TestDatabase;
const spec = (qty: string, extra: Array<{ name: string; type: string }> = []): TrackedTableSpec => ({
  schema: 'public', table: 'stock', primaryKey: ['id'], label: 'stock', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'qty', type: qty }, ...extra],
});
let before: string;

beforeAll(async () => {
  db = await createTestDatabase('retyped_snapshot');
  await db.pool.query(`CREATE TABLE stock (id integer PRIMARY KEY, qty integer, qty__note text)`);
  await install(db.pool, [spec('integer', [{ name: 'qty__note', type: 'text' }])]);
  await db.pool.query(`INSERT INTO stock VALUES (1, 2, 'kept apart'), (2, NULL, NULL)`);
  await db.pool.query(`ALTER TABLE stock DROP COLUMN qty__note`); // a dropped column of that name stays a column of its own
  await install(db.pool, [spec('integer')]);
  before = (await db.pool.query<{ t: string }>(`SELECT clock_timestamp()::text AS t`)).rows[0].t;
  await db.pool.query(`ALTER TABLE stock ALTER COLUMN qty TYPE numeric`);
  await install(db.pool, [spec('numeric')]);
  await db.pool.query(`UPDATE stock SET qty = 4.125 WHERE id = 1`);
  await db.pool.query(`UPDATE stock SET qty = 7 WHERE id = 2`);
});
afterAll(() => db.drop());

describe('snapshots of a retyped column', () => {
  it('show each version\'s value under the column\'s name, whichever type it was written in', async () => {
    const columns = (await db.pool.query(`SELECT attname FROM pg_attribute WHERE attrelid = 'rowtrail.stock_history'::regclass AND attname LIKE 'qty%' ORDER BY 1`)).rows;
    expect(columns.map((c) => c.attname)).toEqual(['qty', 'qty__integer', 'qty__note']);
    const { events } = await recordHistory(db.pool, 'stock', { id: 1 }, { order: 'asc' });
    expect(events.map((e) => e.snapshot)).toEqual([{ id: 1, qty: 2, qty__note: 'kept apart' }, { id: 1, qty: 4.125, qty__note: null }]);
    const unset = (await recordHistory(db.pool, 'stock', { id: 2 }, { order: 'asc' })).events.map((e) => e.snapshot.qty);
    expect(unset).toEqual([null, 7]);
  });

  it('compares and answers "state as of" with the value as it was', async () => {
    const [inserted, updated] = (await recordHistory(db.pool, 'stock', { id: 1 }, { order: 'asc' })).events;
    const comparison = await compareVersions(db.pool, 'stock', { id: 1 }, inserted.eventId, updated.eventId);
    expect(comparison.changes).toEqual({ qty: [2, 4.125], qty__note: ['kept apart', null] });
    expect((await recordStateAt(db.pool, 'stock', { id: 1 }, before)).event?.snapshot).toEqual({ id: 1, qty: 2, qty__note: 'kept apart' });
  });

  it('finds the older values of a column whose long name made the archive name end in a hash', async () => {
    const long = 'quantity_in_the_warehouse_counted_at_the_end_of_each_month';
    const table = (type: string): TrackedTableSpec => ({ ...spec('integer'), table: 'bin', label: 'bin', columns: [{ name: 'id', type: 'integer' }, { name: long, type }] });
    await db.pool.query(`CREATE TABLE bin (id integer PRIMARY KEY, ${long} integer)`);
    await install(db.pool, [table('integer')]);
    await db.pool.query(`INSERT INTO bin VALUES (1, 3)`);
    await db.pool.query(`ALTER TABLE bin ALTER COLUMN ${long} TYPE numeric`);
    await install(db.pool, [table('numeric')]);
    await db.pool.query(`UPDATE bin SET ${long} = 3.5`);
    const archive = (await db.pool.query(`SELECT attname FROM pg_attribute WHERE attrelid = 'rowtrail.bin_history'::regclass AND attname LIKE 'quantity%' AND attname <> $1`, [long])).rows;
    expect(archive.map((c) => c.attname)).toEqual([expect.stringMatching(/^quantity_in_the_warehouse_counted_at_the_end_of_each_[0-9a-f]{10}$/)]);
    const { events } = await recordHistory(db.pool, 'bin', { id: 1 }, { order: 'asc' });
    expect(events.map((e) => e.snapshot)).toEqual([{ id: 1, [long]: 3 }, { id: 1, [long]: 3.5 }]);
  });

  it('finds the values a migration\'s down set aside, whatever spelling the entity gave the type', async () => {
    const gauge = (q: string): TrackedTableSpec => ({ ...spec('integer'), table: 'gauge', label: 'gauge', columns: [{ name: 'id', type: 'integer' }, { name: 'q', type: q }] });
    await db.pool.query(`CREATE TABLE gauge (id integer PRIMARY KEY, q integer)`);
    await install(db.pool, [gauge('integer')]);
    await db.pool.query(`INSERT INTO gauge VALUES (1, 1)`);
    await db.pool.query(`ALTER TABLE gauge ALTER COLUMN q TYPE bigint`);
    const plan = await planMigration(db.pool, [gauge('int8')]);
    await runAsMigration(db.pool, plan.up);
    await db.pool.query(`UPDATE gauge SET q = 2`);
    await runAsMigration(db.pool, plan.down); // the application's migration is reverted too
    await db.pool.query(`ALTER TABLE gauge ALTER COLUMN q TYPE integer`);
    const columns = (await db.pool.query(`SELECT attname FROM pg_attribute WHERE attrelid = 'rowtrail.gauge_history'::regclass AND attname LIKE 'q%' ORDER BY 1`)).rows;
    expect(columns.map((c) => c.attname)).toEqual(['q', 'q__bigint']);
    const { events } = await recordHistory(db.pool, 'gauge', { id: 1 }, { order: 'asc' });
    expect(events.map((e) => e.snapshot)).toEqual([{ id: 1, q: 1 }, { id: 1, q: 2 }]);
  });
});
