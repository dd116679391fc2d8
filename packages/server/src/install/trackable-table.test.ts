import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planMigration } from '../lifecycle/migration-plan.js';
import { status } from '../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { install } from './installer.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('trackable_table');
  await db.pool.query(`CREATE TABLE plain (id integer PRIMARY KEY, v text)`);
  await db.pool.query(`CREATE TABLE reading (id integer PRIMARY KEY, v text) PARTITION BY RANGE (id)`);
  await db.pool.query(`CREATE TABLE reading_low PARTITION OF reading FOR VALUES FROM (0) TO (100)`);
  await db.pool.query(`CREATE VIEW plain_view AS SELECT * FROM plain`);
  await db.pool.query(`CREATE TABLE measurement (id integer PRIMARY KEY, v text)`);
  await db.pool.query(`CREATE TABLE measurement_2024 () INHERITS (measurement)`);
});
afterAll(() => db.drop());

async function installedState() {
  const { rows: [state] } = await db.pool.query(`SELECT
    (SELECT count(*)::int FROM pg_trigger WHERE tgname LIKE 'rowtrail_%') AS triggers,
    (SELECT count(*)::int FROM pg_class WHERE relname LIKE '%\\_history' AND relkind = 'r') AS history_tables,
    to_regclass('rowtrail.tracked_table') IS NOT NULL AS core`);
  return state;
}

describe('tables Rowtrail can track', () => {
  it('refuses a partitioned table, naming it and why, and installs nothing', async () => {
    await expect(install(db.pool, [idValueSpec('plain'), idValueSpec('reading')]))
      .rejects.toThrow(/cannot track table public\.reading: it is a partitioned table.*partitions/);
    expect(await installedState()).toEqual({ triggers: 0, history_tables: 0, core: false });
  });

  it('refuses a partition, naming its parent', async () => {
    await expect(install(db.pool, [idValueSpec('reading_low')]))
      .rejects.toThrow(/cannot track table public\.reading_low: it is a partition of reading/);
  });

  it('refuses both ends of an inheritance hierarchy, naming the other end', async () => {
    await expect(install(db.pool, [idValueSpec('measurement')]))
      .rejects.toThrow(/cannot track table public\.measurement: measurement_2024 inherits from it, and a statement on a parent table also changes its children's rows but fires only the parent's triggers/);
    await expect(install(db.pool, [idValueSpec('measurement_2024')]))
      .rejects.toThrow(/cannot track table public\.measurement_2024: it inherits from measurement,/);
    expect((await installedState()).triggers).toBe(0);
  });

  it('refuses a view and a table that does not exist', async () => {
    await expect(install(db.pool, [idValueSpec('plain_view')])).rejects.toThrow(/cannot track public\.plain_view: it is not a table/);
    await expect(install(db.pool, [idValueSpec('no_such_table')])).rejects.toThrow(/cannot track table public\.no_such_table: it does not exist/);
    expect(await installedState()).toEqual({ triggers: 0, history_tables: 0, core: false });
  });

  it('refuses a partitioned table in a generated migration too', async () => {
    await expect(planMigration(db.pool, [idValueSpec('reading')])).rejects.toThrow(/cannot track table public\.reading: it is a partitioned table/);
  });

  it('tracks a regular table', async () => {
    await install(db.pool, [idValueSpec('plain')]);
    await db.pool.query(`INSERT INTO plain VALUES (1, 'a')`);
    const { rows } = await db.pool.query(`SELECT record_key, operation FROM rowtrail.event`);
    expect(rows).toEqual([{ record_key: { id: 1 }, operation: 'INSERT' }]);
  });

  it('reports a tracked table attached as a partition since: its capture is outdated, saying why history misses changes', async () => {
    await db.pool.query(`CREATE TABLE late (id integer PRIMARY KEY, v text)`);
    await install(db.pool, [idValueSpec('plain'), idValueSpec('late')]);
    const capture = async () => (await status(db.pool, [idValueSpec('plain'), idValueSpec('late')])).entries.find((e) => e.kind === 'capture' && e.table === 'public.late');
    expect((await capture())?.state).toBe('installed');
    await db.pool.query(`CREATE TABLE late_parent (id integer PRIMARY KEY, v text) PARTITION BY RANGE (id); ALTER TABLE late_parent ATTACH PARTITION late FOR VALUES FROM (0) TO (100)`);
    expect(await capture()).toMatchObject({ state: 'outdated', detail: 'history misses changes: it is a partition of late_parent now: writes made through late_parent do not fire its capture, so history misses '
      + 'them (updates that move rows out of it among them); install refuses public.late as it is: run ALTER TABLE late_parent DETACH PARTITION late to '
      + 'track it again, or stop tracking it: stop declaring it (@Tracked), then prune' });
    // following it: tracked again
    await db.pool.query(`ALTER TABLE late_parent DETACH PARTITION late`);
    await install(db.pool, [idValueSpec('plain'), idValueSpec('late')]);
    expect((await capture())?.state).toBe('installed');
    await db.pool.query(`ALTER TABLE late_parent ATTACH PARTITION late FOR VALUES FROM (0) TO (100)`);
    await expect(install(db.pool, [idValueSpec('late')])).rejects.toThrow('cannot track table public.late: it is a partition of late_parent');
  });
});
