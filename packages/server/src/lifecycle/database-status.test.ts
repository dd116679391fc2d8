// status from the database alone (no entities) compares the source table with history as the TypeORM adapter would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { databaseStatus } from './database-status.js';

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
});
