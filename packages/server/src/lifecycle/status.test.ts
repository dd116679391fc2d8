import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from '../install/installer.js';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { prune } from './prune.js';
import { status, type RowtrailStatus } from './status.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('lifecycle_status');
  await db.pool.query(`CREATE TABLE item (id int PRIMARY KEY, name text, version int NOT NULL DEFAULT 0)`);
  await db.pool.query(`CREATE TABLE tag (id int PRIMARY KEY, label text)`);
});
afterAll(() => db.drop());

const spec = (table: string, columns: string[], label = 'snapshot'): TrackedTableSpec => ({
  schema: 'public', table, primaryKey: ['id'], label, exclude: [], ignoreChanges: [],
  columns: columns.map((name) => ({ name, type: name === 'id' || name === 'version' ? 'integer' : 'text' })),
});
const item = spec('item', ['id', 'name', 'version']);
const tag = spec('tag', ['id', 'label']);
const protections = (fields: string[]): ProtectedTableSpec[] => [{
  schema: 'public', table: 'item', primaryKey: ['id'],
  protections: [{ kind: 'read_only', name: 'frozen_name', fields }, { kind: 'versioned', name: 'versioned', field: 'version' }],
}];
const states = (s: RowtrailStatus) => s.entries.map((e) => `${e.kind} ${e.table} ${e.name}: ${e.state}`);

describe('status and prune', () => {
  it('moves from missing to installed to outdated and back to installed', async () => {
    const missing = await status(db.pool, [item], { protections: protections(['name']) });
    expect(missing.upToDate).toBe(false);
    expect(new Set(missing.entries.map((e) => e.state))).toEqual(new Set(['missing']));
    expect(states(missing)).toContain('protection public.item frozen_name: missing');

    await install(db.pool, [item], { protections: protections(['name']) });
    const installed = await status(db.pool, [item], { protections: protections(['name']) });
    expect(installed.upToDate, states(installed).join('\n')).toBe(true);

    const changed = await status(db.pool, [spec('item', ['id', 'name', 'version'], 'audit')], { protections: protections(['name', 'id']) });
    expect(states(changed).filter((s) => !s.endsWith(': installed'))).toEqual([
      'capture public.item capture: outdated',
      'protection public.item frozen_name: outdated',
    ]);

    await install(db.pool, [spec('item', ['id', 'name', 'version'], 'audit')], { protections: protections(['name', 'id']) });
    expect((await status(db.pool, [spec('item', ['id', 'name', 'version'], 'audit')], { protections: protections(['name', 'id']) })).upToDate).toBe(true);
    await install(db.pool, [item], { protections: protections(['name']) });
  });

  it('reports a trigger removed by hand as outdated', async () => {
    await db.pool.query(`DROP TRIGGER rowtrail_protect_versioned_bump ON item`);
    const s = await status(db.pool, [item], { protections: protections(['name']) });
    expect(states(s)).toContain('protection public.item versioned: outdated');
    await install(db.pool, [item], { protections: protections(['name']) });
  });

  it('reports orphans and prunes them, keeping history unless asked', async () => {
    await install(db.pool, [item, tag], { protections: protections(['name']) });
    await db.pool.query(`INSERT INTO tag VALUES (1, 'x')`);
    const orphaned = await status(db.pool, [item], {});
    expect(states(orphaned).filter((s) => s.endsWith('orphaned')).sort()).toEqual([
      expect.stringMatching(/^function rowtrail "rowtrail"\."item_versioned_bump_[0-9a-f]{10}"\(\): orphaned$/),
      'history-table public.tag rowtrail.tag_history: orphaned',
      ...['rowtrail_capture_delete', 'rowtrail_capture_insert', 'rowtrail_capture_key_change', 'rowtrail_capture_update', 'rowtrail_truncate_capture'].map((t) => `trigger public.tag ${t}: orphaned`),
      ...['rowtrail_protect_frozen_name', 'rowtrail_protect_versioned', 'rowtrail_protect_versioned_bump'].map((t) => `trigger public.item ${t}: orphaned`),
    ].sort());

    const removed = await prune(db.pool, [item]);
    expect(removed).toHaveLength(9); // all but the history table
    const after = await status(db.pool, [item]);
    expect(states(after).filter((s) => !s.endsWith(': installed'))).toEqual(['history-table public.tag rowtrail.tag_history: orphaned']);
    await db.pool.query(`UPDATE item SET version = 5`); // no protection left on item
    await expect(db.pool.query(`DELETE FROM rowtrail.tag_history`)).rejects.toMatchObject({ code: 'RT001' }); // orphaned history stays append-only

    await prune(db.pool, [item], { dropHistory: true });
    expect((await status(db.pool, [item])).upToDate).toBe(true);
    expect((await db.pool.query(`SELECT to_regclass('rowtrail.tag_history') AS t`)).rows[0].t).toBeNull();
    expect((await db.pool.query(`SELECT reason FROM rowtrail.maintenance_log`)).rows).toEqual([{ reason: 'prune: drop orphaned history table rowtrail.tag_history of public.tag' }]);
  });

  it('refuses to prune when nothing is declared, which would remove every table\'s capture, unless allowEmpty', async () => {
    await install(db.pool, [tag]);
    const before = states(await status(db.pool, [tag]));
    await expect(prune(db.pool, [])).rejects.toThrow(
      /^Rowtrail: prune refused: nothing is declared \(no tracked table or @Tracked entity, no protection\), so it would remove 10 object\(s\) of schema "rowtrail", the capture and protections of public\.item, public\.tag\. If that is what you want, pass allowEmpty: true \(rowtrail prune --allow-empty\)/);
    expect(states(await status(db.pool, [tag]))).toEqual(before); // nothing removed
    // a declaration of another table is a declaration: the usual prune (public.tag, installed alone since, counts as
    // another application's table: rowtrail.declaration says so)
    expect((await prune(db.pool, [], { protections: protections(['name']), otherApplications: true })).map((e) => `${e.table} ${e.name}`).sort()).toEqual(
      ['public.item', 'public.tag'].flatMap((t) => ['capture_delete', 'capture_insert', 'capture_key_change', 'capture_update', 'truncate_capture'].map((o) => `${t} rowtrail_${o}`)));
    await install(db.pool, [tag]);
    expect(await prune(db.pool, [], { allowEmpty: true })).toHaveLength(5);
    expect(states(await status(db.pool, [tag])).filter((s) => s.startsWith('trigger') || s.startsWith('capture'))).toEqual(['capture public.tag capture: missing']);
  });

  it('says why a capture is outdated: its primary key, or its columns, differ from those of its install', async () => {
    await db.pool.query(`CREATE TABLE customer (id int PRIMARY KEY, code text NOT NULL UNIQUE, name text)`);
    const customer = spec('customer', ['id', 'code', 'name']);
    await install(db.pool, [customer]);
    const capture = async (declared: TrackedTableSpec) => (await status(db.pool, [declared])).entries.find((e) => e.kind === 'capture' && e.table === 'public.customer');
    expect(await capture(customer)).toEqual({ kind: 'capture', table: 'public.customer', name: 'capture', state: 'installed' });
    await db.pool.query(`ALTER TABLE customer DROP CONSTRAINT customer_pkey, ADD PRIMARY KEY (code)`);
    const rekeyed = { ...customer, primaryKey: ['code'] };
    expect(await capture(rekeyed)).toMatchObject({
      state: 'outdated',
      detail: 'primary key is now (code), the history records (id): installing it again records its changes under the new key, while each record\'s earlier versions stay under the old one',
    });
    await db.pool.query(`ALTER TABLE customer ADD COLUMN note text, ALTER COLUMN name TYPE varchar(20)`);
    const changed = spec('customer', ['id', 'code', 'name', 'note']);
    expect(await capture({ ...changed, columns: changed.columns.map((c) => (c.name === 'name' ? { ...c, type: 'character varying' } : c)) })).toMatchObject({
      state: 'outdated', detail: 'columns changed since its install: +note, name text -> character varying',
    });
  });
});
