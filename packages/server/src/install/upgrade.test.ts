import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../context/request-context.js';
import { prepareExport } from '../export/diff-export.js';
import { planMigration } from '../lifecycle/migration-plan.js';
import { status } from '../lifecycle/status.js';
import { activityFeed } from '../query/activity-feed.js';
import { recordHistory } from '../query/record-history.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { install } from './installer.js';
import { loadSqlMigrations, renderSql } from './sql-files.js';

// An installation made by core version 4 (two rows per change: a snapshot row and a rowtrail.diff row),
// upgraded by install(): first the core alone (its capture triggers keep writing the version 4 way),
// then with the table's spec. History written before, between and after stays readable, with its context.
let db: TestDatabase;
const item = idValueSpec('item', 'integer');
const V4_CAPTURE = readFileSync(new URL('./fixtures/v4-item-capture.sql', import.meta.url), 'utf8');

/** A database as version 4 left it: core files 1 to 4 recorded, and its generator's capture for item. */
async function versionFourDatabase(name: string): Promise<TestDatabase> {
  const created = await createTestDatabase(name);
  await created.pool.query(`CREATE TABLE item (id integer PRIMARY KEY, v integer NOT NULL)`);
  await created.pool.query(`CREATE SCHEMA rowtrail`);
  await created.pool.query(`CREATE TABLE rowtrail.migrations (id integer PRIMARY KEY, name text NOT NULL, hash text NOT NULL, installed_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  for (const m of loadSqlMigrations().filter((x) => x.id <= 4)) {
    await created.pool.query(renderSql(m.source, 'rowtrail'));
    await created.pool.query(`INSERT INTO rowtrail.migrations (id, name, hash) VALUES ($1, $2, $3)`, [m.id, m.name, m.hash]);
  }
  await created.pool.query(V4_CAPTURE);
  return created;
}

beforeAll(async () => {
  db = await versionFourDatabase('upgrade');
});
afterAll(() => db.drop());

const history = async () => (await recordHistory(db.pool, 'item', { id: 1 }, { order: 'asc' })).events
  .map((e) => [e.operation, e.snapshot.v, e.changes, e.context?.requestId ?? null]);

describe('upgrading an installation from core version 4', () => {
  const before = createContext({ requestId: 'before-upgrade' });
  const between = createContext({ requestId: 'between' });
  const after = createContext({ requestId: 'after-upgrade' });

  it('applies file 5 alone: version 4 triggers keep capturing, and rowtrail.event shows every event with its diff', async () => {
    await db.pool.query(`INSERT INTO item VALUES (1, 0)`);
    await db.pool.query(`${before.comment}UPDATE item SET v = 1 WHERE id = 1`);

    const core = await install(db.pool); // `rowtrail install` without entities: the core only
    expect(core.appliedMigrations).toEqual(['one_row_history', 'maintenance_log_attribution', 'read_only_fields', 'declared_table_names', 'tracked_table_declared_by', 'json_values_as_jsonb', 'history_transaction_index', 'context_comment_checks', 'tracked_table_unrecorded_columns', 'event_view_merge_append', 'statement_without_text', 'maintenance_search_path', 'protection_missing_fields', 'maintenance_log_refusal', 'statement_ignores_once', 'protection_hint_names_table', 'trigger_search_path', 'json_field_operators', 'table_declarations']);
    // reads need the context and time indexes the version 5 capture DDL creates: the core file adds them
    const indexes = (await db.pool.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'rowtrail' AND tablename = 'item_history' ORDER BY 1`)).rows.map((r) => r.indexname);
    expect(indexes).toEqual(expect.arrayContaining(['item_history_context_idx', 'item_history_created_at_txid_idx']));
    await db.pool.query(`${between.comment}UPDATE item SET v = 2 WHERE id = 1`);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.diff`)).rows[0].n).toBe(3); // still written the version 4 way

    expect(await history()).toEqual([
      ['INSERT', 0, { id: 1, v: 0 }, null], ['UPDATE', 1, { v: [0, 1] }, 'before-upgrade'], ['UPDATE', 2, { v: [1, 2] }, 'between'],
    ]);
    const { rows } = await db.pool.query(`SELECT operation, changes FROM rowtrail.event ORDER BY event_id`);
    expect(rows).toEqual([{ operation: 'INSERT', changes: { id: 1, v: 0 } }, { operation: 'UPDATE', changes: { v: [0, 1] } }, { operation: 'UPDATE', changes: { v: [1, 2] } }]);
  });

  it('regenerates capture: new changes are one history row each, and every version stays findable', async () => {
    const result = await install(db.pool, [item]);
    expect(result.updatedTables).toEqual(['public.item']);
    // the capture's time and transaction BRIN index replaces the time-only one the core file made
    const indexes = (await db.pool.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'rowtrail' AND tablename = 'item_history' AND indexdef LIKE '%brin%'`)).rows.map((r) => r.indexname);
    expect(indexes).toEqual(['item_history_created_at_txid_idx']);
    await db.pool.query(`${after.comment}UPDATE item SET v = 3 WHERE id = 1`);
    await db.pool.query(`${before.comment}UPDATE item SET v = 4 WHERE id = 1`); // a request spanning the upgrade
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.diff`)).rows[0].n).toBe(3); // nothing more written there

    const expected = [
      ['INSERT', 0, { id: 1, v: 0 }, null], ['UPDATE', 1, { v: [0, 1] }, 'before-upgrade'], ['UPDATE', 2, { v: [1, 2] }, 'between'],
      ['UPDATE', 3, { v: [2, 3] }, 'after-upgrade'], ['UPDATE', 4, { v: [3, 4] }, 'before-upgrade'],
    ];
    expect(await history()).toEqual(expected);
    const feed = await activityFeed(db.pool, { tables: ['item'] });
    expect(feed.events.map((e) => e.changes).reverse()).toEqual(expected.map((e) => e[2]));
    const exported = await prepareExport(db.pool, { kind: 'record', table: 'item', key: { id: 1 } });
    const lines: string[] = [];
    for await (const chunk of exported.stream('ndjson')) lines.push(String(chunk));
    expect(lines.join('').trim().split('\n').slice(1, -1).map((line) => JSON.parse(line).changes)).toEqual(expected.map((e) => e[2]));
  });

  it('upgrades through a generated migration too, and its down brings the version 4 capture back', async () => {
    const other = await versionFourDatabase('upgrade_migration');
    try {
      await other.pool.query(`INSERT INTO item VALUES (1, 0)`);
      await other.pool.query(`${before.comment}UPDATE item SET v = 1 WHERE id = 1`);
      const plan = await planMigration(other.pool, [item]);
      expect([...plan.changes].sort()).toEqual([
        'core migration context_comment_checks', 'core migration declared_table_names', 'core migration event_view_merge_append', 'core migration history_transaction_index', 'core migration json_field_operators', 'core migration json_values_as_jsonb', 'core migration maintenance_log_attribution',
        'core migration maintenance_log_refusal', 'core migration maintenance_search_path', 'core migration one_row_history', 'core migration protection_hint_names_table', 'core migration protection_missing_fields', 'core migration read_only_fields', 'core migration statement_ignores_once', 'core migration statement_without_text', 'core migration table_declarations', 'core migration tracked_table_declared_by',
        'core migration tracked_table_unrecorded_columns', 'core migration trigger_search_path', 'history capture of public.item (no column change)',
      ]);
      for (const sql of plan.up) await other.pool.query(sql);
      expect((await status(other.pool, [item])).upToDate).toBe(true);
      await other.pool.query(`${after.comment}UPDATE item SET v = 2 WHERE id = 1`);
      const versions = async () => (await recordHistory(other.pool, 'item', { id: 1 }, { order: 'asc' })).events.map((e) => [e.changes, e.context?.requestId ?? null]);
      expect(await versions()).toEqual([[{ id: 1, v: 0 }, null], [{ v: [0, 1] }, 'before-upgrade'], [{ v: [1, 2] }, 'after-upgrade']]);

      for (const sql of plan.down) await other.pool.query(sql); // core files stay; capture goes back to version 4's
      // what version 4 did not have is gone: the TRUNCATE capture's trigger and function
      expect((await other.pool.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'item'::regclass AND tgname LIKE 'rowtrail_capture_%' ORDER BY 1`)).rows.map((r) => r.tgname))
        .toEqual(['rowtrail_capture_delete', 'rowtrail_capture_insert', 'rowtrail_capture_key_change', 'rowtrail_capture_update']);
      expect((await other.pool.query(`SELECT to_regprocedure('rowtrail.item_history_truncate()') AS f, to_regprocedure('rowtrail.item_history_update()') IS NOT NULL AS kept`)).rows[0]).toEqual({ f: null, kept: true });
      await other.pool.query(`UPDATE item SET v = 3 WHERE id = 1`);
      expect((await other.pool.query(`SELECT count(*)::int AS n FROM rowtrail.diff`)).rows[0].n).toBe(3);
      expect((await versions()).map((v) => v[0])).toEqual([{ id: 1, v: 0 }, { v: [0, 1] }, { v: [1, 2] }, { v: [2, 3] }]);

      // up again (TypeORM's revert, then run): the core files it applies are recorded now, so they are skipped
      for (const sql of plan.up) await other.pool.query(sql);
      expect((await status(other.pool, [item])).upToDate).toBe(true);
      expect((await other.pool.query(`SELECT id FROM rowtrail.migrations ORDER BY id`)).rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
    } finally {
      await other.drop();
    }
  });

  it('leaves out events whose diff row maintenance deleted before the upgrade, as version 4 did', async () => {
    const other = await versionFourDatabase('upgrade_retention');
    try {
      await other.pool.query(`INSERT INTO item VALUES (1, 0)`);
      await other.pool.query(`UPDATE item SET v = 1 WHERE id = 1`);
      await other.pool.query(`BEGIN; SELECT rowtrail.begin_maintenance('retention: drop old diffs'); DELETE FROM rowtrail.diff WHERE operation = 'INSERT'; COMMIT;`);
      await install(other.pool, [item]);
      await other.pool.query(`UPDATE item SET v = 2 WHERE id = 1`);
      const changes = [{ v: [0, 1] }, { v: [1, 2] }];
      expect((await recordHistory(other.pool, 'item', { id: 1 }, { order: 'asc' })).events.map((e) => e.changes)).toEqual(changes);
      expect((await activityFeed(other.pool, {})).events.map((e) => e.changes).reverse()).toEqual(changes);
      expect((await other.pool.query(`SELECT count(*)::int AS n FROM rowtrail.event WHERE changes IS NULL`)).rows[0].n).toBe(0);
    } finally {
      await other.drop();
    }
  });
});
