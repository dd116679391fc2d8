import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { status } from './status.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('history_drift');
  await db.pool.query(`CREATE TABLE reading (id int PRIMARY KEY, value text, unit text)`);
});
afterAll(() => db.drop());

const reading = (valueType: string, extra: string[] = [], without: string[] = []): TrackedTableSpec => ({
  schema: 'public', table: 'reading', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'value', type: valueType }, { name: 'unit', type: 'text' }, ...extra.map((name) => ({ name, type: 'timestamptz' }))]
    .filter((c) => !without.includes(c.name)),
});

describe('install() after schema drift', () => {
  it('adds new columns, keeps dropped ones and keeps retyped values under the old type', async () => {
    await install(db.pool, [reading('text')]);
    await db.pool.query(`INSERT INTO reading VALUES (1, '12', 'kg')`);

    await db.pool.query(`ALTER TABLE reading ALTER COLUMN value TYPE integer USING value::integer, DROP COLUMN unit, ADD COLUMN taken_at timestamptz`);
    const next = reading('integer', ['taken_at'], ['unit']);
    const drift = (await status(db.pool, [next])).entries.find((e) => e.kind === 'history-table')?.drift;
    expect(drift).toEqual({ added: ['taken_at'], dropped: ['unit'], retyped: [{ name: 'value', from: 'text', to: 'integer' }] });

    await install(db.pool, [next]);
    expect((await status(db.pool, [next])).upToDate).toBe(true);
    await db.pool.query(`INSERT INTO reading VALUES (2, 13, '2026-01-01T00:00:00Z')`);
    const { rows } = await db.pool.query(`SELECT id, value, value__text, unit, taken_at IS NOT NULL AS taken FROM rowtrail.reading_history ORDER BY rowtrail_event_id`);
    expect(rows).toEqual([
      { id: 1, value: null, value__text: '12', unit: 'kg', taken: false },
      { id: 2, value: 13, value__text: null, unit: null, taken: true },
    ]);
  });
});
