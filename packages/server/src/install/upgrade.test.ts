import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../context/request-context.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { recordHistory } from '../query/record-history.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { install } from './installer.js';
import { loadSqlMigrations, renderSql } from './sql-files.js';

// An installation made before sql/000003 and sql/000004 upgraded by install():
// history written before and after the upgrade stays findable, with its context.
let db: TestDatabase;
const item: TrackedTableSpec = {
  schema: 'public', table: 'item', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'v', type: 'integer' }],
};
const indexesOf = async (table: string) =>
  (await db.pool.query<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'rowtrail' AND tablename = $1 ORDER BY 1`, [table])).rows.map((r) => r.name);

beforeAll(async () => {
  db = await createTestDatabase('upgrade');
  await db.pool.query(`CREATE TABLE item (id integer PRIMARY KEY, v integer NOT NULL)`);
  await install(db.pool, [item]);
  // Back to what version 2 left: its context_id(), the jsonb record index, no snapshot key index,
  // capture DDL of an older generator, and no record of files 3 and 4.
  const v1 = loadSqlMigrations().find((m) => m.id === 1)!.source;
  const contextIdV1 = v1.slice(v1.indexOf('CREATE FUNCTION :ROWTRAIL_SCHEMA.context_id()')).replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION');
  await db.pool.query(renderSql(contextIdV1, 'rowtrail'));
  await db.pool.query(`CREATE INDEX diff_record_idx ON rowtrail.diff (table_name, record_key, event_id)`);
  for (const name of (await indexesOf('item_history')).filter((n) => n.startsWith('item_history_key_'))) await db.pool.query(`DROP INDEX rowtrail.${name}`);
  await db.pool.query(`DELETE FROM rowtrail.migrations WHERE id >= 3`);
  await db.pool.query(`UPDATE rowtrail.tracked_table SET ddl_hash = 'written by version 2'`);
});
afterAll(() => db.drop());

describe('upgrading an installation from core version 2', () => {
  it('applies files 3 and 4, swaps the record index for the snapshot key index, and keeps all history findable', async () => {
    const before = createContext({ requestId: 'before-upgrade' });
    await db.pool.query(`INSERT INTO item VALUES (1, 0)`);
    await db.pool.query(`${before.comment}UPDATE item SET v = 1 WHERE id = 1`);

    const result = await install(db.pool, [item]);
    expect(result.appliedMigrations).toEqual(['context_session_cache', 'record_lookup_by_snapshot_key']);
    expect(result.updatedTables).toEqual(['public.item']);
    expect(await indexesOf('diff')).not.toContain('diff_record_idx');
    expect((await indexesOf('item_history')).filter((n) => n.startsWith('item_history_key_'))).toHaveLength(1);

    const after = createContext({ requestId: 'after-upgrade' });
    await db.pool.query(`${after.comment}UPDATE item SET v = 2 WHERE id = 1`);
    await db.pool.query(`${before.comment}UPDATE item SET v = 3 WHERE id = 1`); // a request spanning the upgrade
    const history = await recordHistory(db.pool, 'item', { id: 1 }, { order: 'asc' });
    expect(history.events.map((e) => [e.operation, e.snapshot.v, e.context?.requestId ?? null])).toEqual([
      ['INSERT', 0, null], ['UPDATE', 1, 'before-upgrade'], ['UPDATE', 2, 'after-upgrade'], ['UPDATE', 3, 'before-upgrade'],
    ]);
  });
});
