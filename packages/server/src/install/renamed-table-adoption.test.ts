// A tracked table renamed by a migration keeps its capture triggers (PostgreSQL moves them with the table). Installing
// Rowtrail for the new name continues the table's history under that name instead of starting an empty one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSnapshotTableName } from '../ddl/tracked-table-spec.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { prune } from '../lifecycle/prune.js';
import { runAsMigration } from '../testing/run-as-migration.js';
import { status } from '../lifecycle/status.js';
import { untrack } from '../lifecycle/untrack.js';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { install } from './installer.js';

let db: TestDatabase;
const q = async (sql: string) => (await db.pool.query(sql)).rows;
const history = (table: string) => q(`SELECT table_name, operation, record_key, changes FROM rowtrail.event WHERE record_key ->> 'id' = '1' AND table_name = '${table}' ORDER BY event_id`);

beforeAll(async () => {
  db = await createTestDatabase('renamed_table_adoption');
});

/** A table `(id integer PRIMARY KEY, v <type>)` tracked, with row 1 written, then renamed. */
async function trackedThenRenamed(from: string, to: string, type = 'text', first = `'a'`): Promise<void> {
  await q(`CREATE TABLE ${from} (id integer PRIMARY KEY, v ${type})`);
  await install(db.pool, [idValueSpec(from, type)]);
  await q(`INSERT INTO ${from} VALUES (1, ${first})`);
  await q(`ALTER TABLE ${from} RENAME TO ${to}`);
}
afterAll(() => db.drop());

describe('installing a tracked table under the name a migration gave it', () => {
  beforeAll(async () => {
    await q(`CREATE TABLE inv (id integer PRIMARY KEY, v text)`);
    await install(db.pool, [idValueSpec('inv')]);
    await q(`INSERT INTO inv VALUES (1, 'a'), (2, 'b')`);
    await q(`ALTER TABLE inv RENAME TO inventory`);
    await q(`UPDATE inventory SET v = 'after rename' WHERE id = 1`); // recorded under the old name until the install
  });

  it('is what status reports before the install (and prune keeps the history there is to move)', async () => {
    const pending = (await status(db.pool, [idValueSpec('inventory')])).entries.filter((e) => e.state !== 'installed');
    expect(pending.map(({ kind, table, state, detail }) => ({ kind, table, state, detail }))).toEqual([
      { kind: 'history-table', table: 'public.inventory', state: 'missing', detail: 'the table was renamed from public.inv: install moves that table\'s history (rowtrail.inv_history) here and continues it' },
      { kind: 'capture', table: 'public.inventory', state: 'outdated', detail: 'it runs the capture of public.inv (renamed since): install rebuilds it for this name' },
      { kind: 'append-only', table: 'rowtrail.inventory_history', state: 'missing', detail: undefined },
      { kind: 'history-table', table: 'public.inv', state: 'outdated', detail: 'the table was renamed to public.inventory: install moves this history there' },
    ]);
    expect(await prune(db.pool, [idValueSpec('inventory')], { dropHistory: true })).toEqual([]);
    // declared under its old name still (the entity not renamed yet): status names the table's new name
    const old = (await status(db.pool, [idValueSpec('inv')])).entries.filter((e) => e.state !== 'installed');
    expect(old).toEqual([{
      kind: 'capture', table: 'public.inv', name: 'capture', state: 'outdated', renamedTo: 'public.inventory',
      detail: 'the table was renamed to public.inventory (it runs this capture, recording under this name): installing the new name moves this history there',
    }]);
    expect(await prune(db.pool, [idValueSpec('inv')], { dropHistory: true })).toEqual([]); // nor does it stop the capture
  });

  it('moves the registry row, the history table and its indexes, and reports the rename', async () => {
    const result = await install(db.pool, [idValueSpec('inventory')]);
    expect(result.renamedTables).toEqual([{ from: 'public.inv', to: 'public.inventory' }]);
    expect(result.updatedTables).toEqual(['public.inventory']);
    expect(await q(`SELECT table_name, snapshot_table FROM rowtrail.tracked_table`)).toEqual([
      { table_name: 'public.inventory', snapshot_table: defaultSnapshotTableName({ schema: 'public', table: 'inventory' }) },
    ]);
    const old = defaultSnapshotTableName({ schema: 'public', table: 'inv' });
    expect(await q(`SELECT relname FROM pg_class WHERE relnamespace = 'rowtrail'::regnamespace AND relname LIKE '${old}%'`)).toEqual([]);
    // no capture function is left under the old history table's name, and the new ones run
    expect(await q(`SELECT proname FROM pg_proc WHERE pronamespace = 'rowtrail'::regnamespace AND proname LIKE '${old}%'`)).toEqual([]);
  });

  it('keeps every version, the ones before the rename included, under the new name', async () => {
    await q(`UPDATE inventory SET v = 'after install' WHERE id = 1`);
    expect(await history('public.inventory')).toEqual([
      { table_name: 'public.inventory', operation: 'INSERT', record_key: { id: 1 }, changes: { id: 1, v: 'a' } },
      { table_name: 'public.inventory', operation: 'UPDATE', record_key: { id: 1 }, changes: { v: ['a', 'after rename'] } },
      { table_name: 'public.inventory', operation: 'UPDATE', record_key: { id: 1 }, changes: { v: ['after rename', 'after install'] } },
    ]);
    expect(await history('public.inv')).toEqual([]);
  });

  it('records a TRUNCATE again (refused while the capture named the old table)', async () => {
    await q(`TRUNCATE inventory`);
    expect(await q(`SELECT count(*)::int AS n FROM rowtrail.event WHERE table_name = 'public.inventory' AND operation = 'DELETE'`)).toEqual([{ n: 2 }]);
  });

  it('is then up to date: status finds nothing missing or orphaned, and installing again changes nothing', async () => {
    expect((await status(db.pool, [idValueSpec('inventory')])).entries.filter((e) => e.state !== 'installed')).toEqual([]);
    const again = await install(db.pool, [idValueSpec('inventory')]);
    expect({ renamed: again.renamedTables, updated: again.updatedTables }).toEqual({ renamed: [], updated: [] });
  });
});

describe('a renamed table with protections', () => {
  const protections = (table: string): ProtectedTableSpec[] => [{
    schema: 'public', table, primaryKey: ['id'],
    protections: [{ kind: 'soft_delete', name: 'soft_delete', field: 'is_active', value: false }, { kind: 'read_only', name: 'frozen_code', fields: ['code'] }],
  }];
  const spec = (table: string) => idValueSpec(table, 'text', { columns: [{ name: 'id', type: 'integer' }, { name: 'code', type: 'text' }, { name: 'is_active', type: 'boolean' }] });

  it('gets the protections declared for its new name, and status finds no protection or function of the old name left', async () => {
    await q(`CREATE TABLE post (id integer PRIMARY KEY, code text, is_active boolean NOT NULL DEFAULT true)`);
    await install(db.pool, [spec('post')], { protections: protections('post') });
    await q(`INSERT INTO post (id, code) VALUES (1, 'a')`);
    await q(`ALTER TABLE post RENAME TO article_post`);
    // before the install, declared under either name: nothing of it is orphaned, so prune removes none of it (its
    // protections' functions, named after the old name, are still run by its triggers)
    const forPost = (e: { table: string; name: string }) => /post/.test(e.table) || /post/.test(e.name);
    for (const table of ['post', 'article_post']) {
      const declared = { specs: [spec(table)], protections: protections(table) };
      expect((await status(db.pool, declared.specs, { protections: declared.protections })).entries.filter((e) => e.state === 'orphaned' && forPost(e))).toEqual([]);
      expect((await prune(db.pool, declared.specs, { protections: declared.protections, dropHistory: true })).filter(forPost)).toEqual([]);
    }
    const result = await install(db.pool, [spec('article_post')], { protections: protections('article_post') });
    expect(result.renamedTables).toEqual([{ from: 'public.post', to: 'public.article_post' }]);
    await q(`DELETE FROM article_post WHERE id = 1`);
    expect(await q(`SELECT id, is_active FROM article_post`)).toEqual([{ id: 1, is_active: false }]);
    await expect(q(`UPDATE article_post SET code = 'b'`)).rejects.toThrow(/cannot update read-only/);
    expect((await status(db.pool, [spec('article_post')], { protections: protections('article_post') })).entries
      .filter((e) => e.state !== 'installed' && forPost(e))).toEqual([]);
    expect(await q(`SELECT proname FROM pg_proc WHERE pronamespace = 'rowtrail'::regnamespace AND proname LIKE 'post%'`)).toEqual([]);
    expect((await history('public.article_post')).map((e) => [e.operation, e.changes])).toEqual([
      ['INSERT', { id: 1, code: 'a', is_active: true }], ['UPDATE', { is_active: [true, false] }],
    ]);
  });
});

describe('a renamed table in a Rowtrail schema whose name needs quoting', () => {
  it('moves its history and replaces its protections there too', async () => {
    const schema = 'Audit Trail';
    const protections = (table: string): ProtectedTableSpec[] => [{ schema: 'public', table, primaryKey: ['id'], protections: [{ kind: 'read_only', name: 'frozen', fields: ['v'] }] }];
    await q(`CREATE TABLE draft (id integer PRIMARY KEY, v text)`);
    await install(db.pool, [idValueSpec('draft')], { schema, protections: protections('draft') });
    await q(`INSERT INTO draft VALUES (1, 'a')`);
    await q(`ALTER TABLE draft RENAME TO final`);
    const result = await install(db.pool, [idValueSpec('final')], { schema, protections: protections('final') });
    expect(result.renamedTables).toEqual([{ from: 'public.draft', to: 'public.final' }]);
    expect(await q(`SELECT proname FROM pg_proc WHERE pronamespace = '"Audit Trail"'::regnamespace AND proname LIKE 'draft%'`)).toEqual([]);
    expect((await status(db.pool, [idValueSpec('final')], { schema, protections: protections('final') })).entries
      .filter((e) => e.state !== 'installed' && /draft|final/.test(`${e.table} ${e.name}`))).toEqual([]);
  });
});

describe('a rename the history table name does not follow', () => {
  it('keeps the history table and its functions where the snapshotTableName option names it the same', async () => {
    await q(`CREATE TABLE ledger (id integer PRIMARY KEY, v text)`);
    const snapshotTableName = () => 'ledger_log';
    await install(db.pool, [idValueSpec('ledger')], { snapshotTableName });
    await q(`INSERT INTO ledger VALUES (1, 'a')`);
    await q(`ALTER TABLE ledger RENAME TO ledger_2026`);
    const result = await install(db.pool, [idValueSpec('ledger_2026')], { snapshotTableName });
    expect(result.renamedTables).toEqual([{ from: 'public.ledger', to: 'public.ledger_2026' }]);
    await q(`UPDATE ledger_2026 SET v = 'b'`);
    expect((await history('public.ledger_2026')).map((e) => e.operation)).toEqual(['INSERT', 'UPDATE']);
    expect(await q(`SELECT count(*)::int AS n FROM pg_proc WHERE pronamespace = 'rowtrail'::regnamespace AND proname LIKE 'ledger_log%'`)).toEqual([{ n: 5 }]);
  });
});

describe('a rename whose history cannot move', () => {
  const unchanged = async (from: string, to: string) => {
    const before = (await history(`public.${from}`)).length;
    await q(`UPDATE ${to} SET v = 'still recorded ${before}'`);
    expect((await history(`public.${from}`)).map((e) => e.operation)).toEqual(['INSERT', ...Array(before).fill('UPDATE')]);
  };

  it('is refused where the registry holds the history of an earlier table of the new name, and changes nothing', async () => {
    await q(`CREATE TABLE item (id integer PRIMARY KEY, v text)`);
    await q(`CREATE TABLE article (id integer PRIMARY KEY, v text)`);
    await install(db.pool, [idValueSpec('item'), idValueSpec('article')]);
    await q(`INSERT INTO item VALUES (1, 'a')`);
    await q(`DROP TABLE article`); // its history stays
    await q(`ALTER TABLE item RENAME TO article`);
    await expect(install(db.pool, [idValueSpec('article')])).rejects.toThrow(
      'Rowtrail: table public.article was renamed from public.item (it still runs that table\'s history capture), but its history cannot move to the new name: '
      + 'the registry already holds the history of an earlier table public.article. Nothing was changed. Rename the table back, or drop that history first '
      + 'if it is not wanted (rowtrail untrack public.article --drop-history --yes: it removes only that history and the capture it ran)',
    );
    expect(await q(`SELECT table_name FROM rowtrail.tracked_table WHERE table_name IN ('public.item', 'public.article') ORDER BY 1`))
      .toEqual([{ table_name: 'public.article' }, { table_name: 'public.item' }]);
    await unchanged('item', 'article');
    // status, prune and a generated migration agree: item's history is not orphaned, and the move is refused
    const pending = (await status(db.pool, [idValueSpec('article')])).entries.filter((e) => e.state !== 'installed' && /^public\.(item|article)$/.test(e.table));
    expect(pending.map(({ kind, table, state, detail }) => ({ kind, table, state, detail }))).toEqual([
      { kind: 'capture', table: 'public.article', state: 'outdated', detail: 'it runs the capture of public.item (renamed since): install refuses to move that history here, where the registry has the history of an earlier public.article (docs/lifecycle.md, "Renaming a tracked table")' },
      { kind: 'history-table', table: 'public.item', state: 'outdated', detail: 'the table was renamed to public.article: install refuses to move this history there, where the registry has the history of an earlier public.article' },
    ]);
    // (this database's other tables are not declared here: prune removes their capture, none of these two's)
    expect((await prune(db.pool, [idValueSpec('article')], { dropHistory: true })).filter((e) => /^public\.(item|article)$/.test(e.table))).toEqual([]);
    await expect(planMigration(db.pool, [idValueSpec('article')])).rejects.toThrow('but its history cannot move to the new name: the registry already holds the history of an earlier table public.article');
    await unchanged('item', 'article');
    // the remedy named: dropping the earlier history leaves the renamed table's capture, and the install then moves it
    await untrack(db.pool, ['public.article'], { dropHistory: true });
    expect((await install(db.pool, [idValueSpec('article')])).renamedTables).toEqual([{ from: 'public.item', to: 'public.article' }]);
    expect((await history('public.article')).map((e) => e.operation)).toEqual(['INSERT', 'UPDATE', 'UPDATE']);
  });

  it('is refused where another table has the history table name it would move to', async () => {
    const target = defaultSnapshotTableName({ schema: 'public', table: 'component' });
    await q(`CREATE TABLE rowtrail.${target} (note text)`);
    await trackedThenRenamed('part', 'component');
    await expect(install(db.pool, [idValueSpec('component')])).rejects.toThrow(
      `but its history cannot move to the new name: its history table would be rowtrail.${target}, a name another table has already. Nothing was changed.`,
    );
    await unchanged('part', 'component');
  });
});

describe('a table renamed and another created under its old name', () => {
  it('leaves the old name its history; the renamed table\'s leftover capture is orphaned until it is tracked itself', async () => {
    await trackedThenRenamed('receipt', 'receipt_archive');
    await q(`CREATE TABLE receipt (id integer PRIMARY KEY, v text)`);
    expect((await install(db.pool, [idValueSpec('receipt')])).renamedTables).toEqual([]);
    const orphaned = (await status(db.pool, [idValueSpec('receipt')])).entries.filter((e) => e.state !== 'installed' && e.table.startsWith('public.receipt'));
    expect(orphaned.map(({ kind, table, state }) => [kind, table, state])).toEqual(
      ['rowtrail_capture_delete', 'rowtrail_capture_insert', 'rowtrail_capture_key_change', 'rowtrail_capture_update', 'rowtrail_truncate_capture']
        .map(() => ['trigger', 'public.receipt_archive', 'orphaned']),
    );
    // tracked under its own name it starts a history of its own (the old name's stays with the table that has it)
    expect((await install(db.pool, [idValueSpec('receipt_archive')])).renamedTables).toEqual([]);
    await q(`UPDATE receipt_archive SET v = 'archived'`);
    await q(`INSERT INTO receipt VALUES (2, 'b')`);
    expect((await q(`SELECT table_name, operation FROM rowtrail.event WHERE table_name LIKE 'public.receipt%' ORDER BY event_id`))).toEqual([
      { table_name: 'public.receipt', operation: 'INSERT' },
      { table_name: 'public.receipt_archive', operation: 'UPDATE' },
      { table_name: 'public.receipt', operation: 'INSERT' },
    ]);
  });
});

describe('a generated migration after the rename', () => {
  it('moves the history in up, and down gives the old name back its history and capture', async () => {
    await trackedThenRenamed('invoice', 'bill');
    const plan = await planMigration(db.pool, [idValueSpec('bill')]);
    expect(plan.changes).toEqual(['history capture of public.bill (renamed from public.invoice: its history continues under the new name)', 'protection append_only on rowtrail.bill_history']);
    await runAsMigration(db.pool, plan.up);
    await q(`UPDATE bill SET v = 'b'`);
    expect((await history('public.bill')).map((e) => e.operation)).toEqual(['INSERT', 'UPDATE']);
    expect((await status(db.pool, [idValueSpec('bill')])).entries.filter((e) => e.state !== 'installed' && e.table.includes('bill'))).toEqual([]);
    expect((await planMigration(db.pool, [idValueSpec('bill')])).up).toEqual([]);

    await runAsMigration(db.pool, plan.down);
    await q(`ALTER TABLE bill RENAME TO invoice`); // the application's own down
    await q(`UPDATE invoice SET v = 'c'`);
    expect((await history('public.invoice')).map((e) => e.operation)).toEqual(['INSERT', 'UPDATE', 'UPDATE']);
    expect((await status(db.pool, [idValueSpec('invoice')])).entries.filter((e) => e.state !== 'installed' && /invoice|bill/.test(e.table))).toEqual([]);
  });

  it('replaces the protections of the old name with those of the new one, and down brings them back', async () => {
    const softDelete = (table: string): ProtectedTableSpec[] => [{ schema: 'public', table, primaryKey: ['id'], protections: [{ kind: 'soft_delete', name: 'soft_delete', field: 'live', value: false }] }];
    const spec = (table: string) => idValueSpec(table, 'text', { columns: [{ name: 'id', type: 'integer' }, { name: 'live', type: 'boolean' }] });
    await q(`CREATE TABLE memo (id integer PRIMARY KEY, live boolean NOT NULL DEFAULT true)`);
    await install(db.pool, [spec('memo')], { protections: softDelete('memo') });
    await q(`INSERT INTO memo (id) VALUES (1), (2)`);
    await q(`ALTER TABLE memo RENAME TO note_2026`);
    const oldFunctions = () => q(`SELECT proname FROM pg_proc WHERE pronamespace = 'rowtrail'::regnamespace AND proname LIKE 'memo%' ORDER BY 1`);
    const before = await oldFunctions();
    const plan = await planMigration(db.pool, [spec('note_2026')], { protections: softDelete('note_2026') });
    expect(plan.changes.at(-1)).toBe('remove the protection functions of renamed tables that no trigger runs any more');
    await runAsMigration(db.pool, plan.up);
    expect(await oldFunctions()).toEqual([]);
    await q(`DELETE FROM note_2026 WHERE id = 1`);
    expect(await q(`SELECT id, live FROM note_2026 ORDER BY id`)).toEqual([{ id: 1, live: false }, { id: 2, live: true }]);
    expect((await status(db.pool, [spec('note_2026')], { protections: softDelete('note_2026') })).entries
      .filter((e) => e.state !== 'installed' && /memo|note_2026/.test(`${e.table} ${e.name}`))).toEqual([]);

    await runAsMigration(db.pool, plan.down);
    expect(await oldFunctions()).toEqual(before);
    await q(`ALTER TABLE note_2026 RENAME TO memo`); // the application's own down
    await q(`DELETE FROM memo WHERE id = 2`);
    expect(await q(`SELECT id, live FROM memo ORDER BY id`)).toEqual([{ id: 1, live: false }, { id: 2, live: false }]);
    expect((await status(db.pool, [spec('memo')], { protections: softDelete('memo') })).entries
      .filter((e) => e.state !== 'installed' && /memo|note_2026/.test(`${e.table} ${e.name}`))).toEqual([]);
  });

  it('retypes a column the same release changed, in the history it moves', async () => {
    await trackedThenRenamed('quote', 'offer', 'integer', '7');
    await q(`ALTER TABLE offer ALTER COLUMN v TYPE text`);
    await runAsMigration(db.pool, (await planMigration(db.pool, [idValueSpec('offer')])).up);
    await q(`UPDATE offer SET v = 'seven'`);
    expect((await history('public.offer')).map((e) => e.changes)).toEqual([{ id: 1, v: 7 }, { v: ['7', 'seven'] }]);
    expect((await status(db.pool, [idValueSpec('offer')])).entries.filter((e) => e.state !== 'installed' && e.table.includes('offer'))).toEqual([]);
  });
});
