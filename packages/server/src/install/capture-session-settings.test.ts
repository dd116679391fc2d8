import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputSettings } from '../ddl/output-settings.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { status } from '../lifecycle/status.js';
import { install } from './installer.js';

let db: TestDatabase;
const measure: TrackedTableSpec = {
  schema: 'public', table: 'measure', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [
    { name: 'id', type: 'integer' }, { name: 'ratio', type: 'double precision' }, { name: 'took', type: 'interval' },
    { name: 'blob', type: 'bytea' }, { name: 'span', type: 'tsrange' }, { name: 'share', type: 'percent' },
  ],
};

beforeAll(async () => {
  db = await createTestDatabase('capture_session_settings');
  await db.pool.query(`CREATE DOMAIN percent AS double precision`);
  await db.pool.query(`CREATE TABLE measure (id int PRIMARY KEY, ratio float8, took interval, blob bytea, span tsrange, share percent)`);
  await install(db.pool, [measure]);
});
afterAll(() => db.drop());

/** The statement run in a session whose output settings differ from PostgreSQL's defaults, as some drivers and tools set them. */
async function inOddSession(sql: string): Promise<void> {
  const client: pg.PoolClient = await db.pool.connect();
  try {
    await client.query(`SET extra_float_digits = 0; SET "IntervalStyle" = 'sql_standard'; SET bytea_output = 'escape'; SET "DateStyle" = 'SQL, DMY'`);
    await client.query(sql);
    // the session's own settings are its own again after the capture
    const { rows: [row] } = await client.query(`SELECT current_setting('extra_float_digits') AS f, current_setting('IntervalStyle') AS i, current_setting('bytea_output') AS b, current_setting('DateStyle') AS d`);
    expect(row).toEqual({ f: '0', i: 'sql_standard', b: 'escape', d: 'SQL, DMY' });
  } finally {
    client.release();
  }
}

const latestChanges = async () =>
  (await db.pool.query(`SELECT operation, changes::text AS changes FROM rowtrail.event ORDER BY event_id DESC LIMIT 1`)).rows[0];

describe('what the capture records does not depend on the writing session\'s output settings', () => {
  it('records floats exactly, intervals, bytea and time ranges in their default forms', async () => {
    await inOddSession(`INSERT INTO measure VALUES (1, 0.30000000000000104, '1 day 2 hours', '\\x6869', '[2024-01-02,2024-02-03)', 0.30000000000000104)`);
    expect(await latestChanges()).toEqual({
      operation: 'INSERT',
      changes: '{"id": 1, "blob": "\\\\x6869", "span": "[\\"2024-01-02 00:00:00\\",\\"2024-02-03 00:00:00\\")", "took": "1 day 02:00:00", "ratio": 0.30000000000000104, "share": 0.30000000000000104}',
    });
    await inOddSession(`UPDATE measure SET ratio = 0.1::float8 + 0.2::float8, took = '3 days' WHERE id = 1`);
    expect(await latestChanges()).toEqual({
      operation: 'UPDATE',
      changes: '{"took": ["1 day 02:00:00", "3 days"], "ratio": [0.30000000000000104, 0.30000000000000004]}',
    });
  });

  it('sets them only for tables with a column whose JSON form they change (each SET costs every call)', () => {
    expect(outputSettings([{ name: 'id', type: 'bigint' }, { name: 'at', type: 'timestamp with time zone' }, { name: 'tags', type: 'text[]' }, { name: 'price', type: 'numeric(12,2)' }])).toBe('');
    for (const type of ['double precision', 'real', 'interval', 'bytea', 'float8[]', 'tstzrange', 'money', 'my_domain', 'public.my_type']) {
      expect(outputSettings([{ name: 'id', type: 'integer' }, { name: 'x', type }]), type).not.toBe('');
    }
  });

  it('status reports a capture function whose settings were changed by hand, and install sets them again', async () => {
    const captureState = async () => (await status(db.pool, [measure])).entries.find((e) => e.kind === 'capture');
    expect((await captureState())?.state).toBe('installed');
    for (const change of ['SET extra_float_digits = 0', 'RESET "IntervalStyle"', 'RESET ALL']) {
      await db.pool.query(`ALTER FUNCTION rowtrail.measure_history_update() ${change}`);
      expect(await captureState(), change).toMatchObject({ state: 'outdated', detail: expect.stringMatching(/function "rowtrail"\."measure_history_update"\(\) \(run by triggers on public\.measure\) differs/) });
      expect((await install(db.pool, [measure])).updatedTables, change).toEqual(['public.measure']);
      expect((await captureState())?.state, change).toBe('installed');
    }
    // jit = off of the insert capture counts too, on any table
    await db.pool.query(`ALTER FUNCTION rowtrail.measure_history_insert() SET jit = on`);
    expect((await captureState())?.state).toBe('outdated');
    await install(db.pool, [measure]);
    await inOddSession(`INSERT INTO measure VALUES (3, 0.1::float8 + 0.2::float8)`);
    expect((await latestChanges()).changes).toContain('0.30000000000000004');
  });
});
