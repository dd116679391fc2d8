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
});
