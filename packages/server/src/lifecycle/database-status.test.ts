// status from the database alone (no entities) compares the source table with history as the TypeORM adapter would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { databaseStatus } from './database-status.js';
import { TABLE_GONE } from './status.js';
import { untrack } from './untrack.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('database_status');
  await db.pool.query(`CREATE TYPE article_status_enum AS ENUM ('draft', 'published')`);
  await db.pool.query(`CREATE TABLE article (id int PRIMARY KEY, status article_status_enum NOT NULL DEFAULT 'draft', labels article_status_enum[], title varchar(40))`);
});
afterAll(() => db.drop());

// as entity-spec.ts snapshotColumnType() builds it from TypeORM metadata: enums (and arrays of them) as text
const article: TrackedTableSpec = {
  schema: 'public', table: 'article', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'status', type: 'text' }, { name: 'labels', type: 'text[]' }, { name: 'title', type: 'character varying' }],
};

describe('databaseStatus', () => {
  it('reports no drift for enum columns, whose history stores them as text, and still reports a real change', async () => {
    await install(db.pool, [article]);
    const installed = await databaseStatus(db.pool);
    expect(installed.entries.filter((e) => e.state !== 'installed')).toEqual([]);
    expect(installed.entries.find((e) => e.kind === 'history-table')?.drift).toEqual({ added: [], dropped: [], retyped: [] });

    await db.pool.query(`ALTER TABLE article ALTER COLUMN title TYPE integer USING NULL, ADD COLUMN rank int`);
    const drifted = await databaseStatus(db.pool);
    expect(drifted.entries.find((e) => e.kind === 'history-table')).toMatchObject({
      state: 'outdated', drift: { added: ['rank'], dropped: [], retyped: [{ name: 'title', from: 'character varying', to: 'integer' }] },
    });
  });

  it('does not count as added the columns no entity maps, as of the last install, and still reports a column added since', async () => {
    await db.pool.query(`CREATE TABLE note (id int PRIMARY KEY, body text, legacy text, secret text)`);
    // as an entity that maps id and body, excludes secret and does not map legacy
    const note: TrackedTableSpec = {
      schema: 'public', table: 'note', primaryKey: ['id'], label: 'snapshot', exclude: ['secret'], ignoreChanges: [],
      columns: [{ name: 'id', type: 'integer' }, { name: 'body', type: 'text' }, { name: 'secret', type: 'text' }],
    };
    const noteHistory = async () => (await databaseStatus(db.pool)).entries.find((e) => e.kind === 'history-table' && e.table === 'public.note');
    const unrecorded = async () => (await db.pool.query(`SELECT unrecorded FROM rowtrail.tracked_table WHERE table_name = 'public.note'`)).rows[0].unrecorded;
    await install(db.pool, [note]);
    expect(await unrecorded()).toEqual(['legacy']);
    expect(await noteHistory()).toMatchObject({ state: 'installed', drift: { added: [], dropped: [], retyped: [] } });

    await db.pool.query(`ALTER TABLE note ADD COLUMN rank int`);
    expect(await noteHistory()).toMatchObject({ state: 'outdated', drift: { added: ['rank'], dropped: [], retyped: [] } });
    // installed again from the same entity, which does not map rank either: the capture is unchanged, the list is not
    expect((await install(db.pool, [note])).updatedTables).toEqual([]);
    expect(await unrecorded()).toEqual(['legacy', 'rank']);
    expect(await noteHistory()).toMatchObject({ state: 'installed', drift: { added: [], dropped: [], retyped: [] } });

    await db.pool.query(`ALTER TABLE note DROP COLUMN legacy, DROP COLUMN body`);
    expect(await noteHistory()).toMatchObject({ state: 'outdated', drift: { added: [], dropped: ['body'], retyped: [] } });

    // a registry row written before core version 13 lists nothing: every column history leaves out counts as added
    await db.pool.query(`UPDATE rowtrail.tracked_table SET unrecorded = NULL WHERE table_name = 'public.note'`);
    expect(await noteHistory()).toMatchObject({ state: 'outdated', drift: { added: ['rank'], dropped: ['body'], retyped: [] } });
  });

  it('says a registered table that was dropped since no longer exists (nothing to install: untrack stops tracking it)', async () => {
    await db.pool.query(`CREATE TABLE gone (id int PRIMARY KEY, name text)`);
    const gone: TrackedTableSpec = { ...article, table: 'gone', columns: [{ name: 'id', type: 'integer' }, { name: 'name', type: 'text' }] };
    await install(db.pool, [gone]);
    await db.pool.query(`DROP TABLE gone`);
    const entries = (await databaseStatus(db.pool)).entries.filter((e) => e.table === 'public.gone' || e.table === 'rowtrail.gone_history');
    expect(entries.map((e) => [e.kind, e.state, e.detail])).toEqual([
      ['history-table', 'installed', undefined],
      ['capture', 'missing', `${TABLE_GONE} (dropped since its install): untrack stops tracking it and keeps its history, untrack --drop-history --yes drops that too`],
      ['append-only', 'installed', undefined],
    ]);
    // as status advises
    expect(await untrack(db.pool, ['public.gone'], { dropHistory: true })).toEqual({ untracked: [], alreadyUntracked: [], goneTables: ['public.gone'], droppedHistory: ['rowtrail.gone_history'] });
    expect((await databaseStatus(db.pool)).entries.filter((e) => e.table.includes('gone'))).toEqual([]);
  });

  it('marks the entries of a table registered before core version 9, which did not record whether install --table tracked it', async () => {
    await db.pool.query(`CREATE TABLE legacy_account (id int PRIMARY KEY, email text)`);
    const legacy: TrackedTableSpec = { ...article, table: 'legacy_account', columns: [{ name: 'id', type: 'integer' }, { name: 'email', type: 'text' }] };
    await install(db.pool, [legacy]);
    const marked = async () => (await databaseStatus(db.pool)).entries.filter((e) => e.declarationUnrecorded).map((e) => `${e.kind} ${e.table}`);
    expect(await marked()).toEqual([]);
    // as an upgrade from core version 8 leaves its row: declared_by its default, written before version 9 was applied
    await db.pool.query(`UPDATE rowtrail.tracked_table SET installed_at = (SELECT installed_at - interval '1 day' FROM rowtrail.migrations WHERE id = 9) WHERE table_name = 'public.legacy_account'`);
    expect(await marked()).toEqual(['history-table public.legacy_account', 'capture public.legacy_account', 'append-only rowtrail.legacy_account_history']);
    await install(db.pool, [{ ...legacy, label: 'audit' }]); // installed again (its capture changed): its row records who declared it
    expect(await marked()).toEqual([]);
  });
});
