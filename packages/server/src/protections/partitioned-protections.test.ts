// PostgreSQL runs a partitioned table's row triggers as clones on each partition, where TG_TABLE_NAME names the
// partition. A protection declared on the partitioned table reports, and is ignored by, that table's name.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextDriver } from '../context/pg-context-driver.js';
import { run } from '../context/request-context.js';
import { install } from '../install/installer.js';
import { databaseStatus } from '../lifecycle/database-status.js';
import { prune } from '../lifecycle/prune.js';
import { status } from '../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { ignore } from './ignore.js';
import { mapProtectionError, ProtectionError } from './protection-error.js';
import type { ProtectedTableSpec } from './protection-spec.js';

let db: TestDatabase;
let app: pg.Pool;
const reading: ProtectedTableSpec = {
  schema: 'public', table: 'reading', primaryKey: ['id', 'region'],
  protections: [
    { kind: 'protect', name: 'no_delete', operations: ['delete'] },
    { kind: 'read_only', name: 'fixed_sensor', fields: ['sensor'] },
    { kind: 'versioned', name: 'version', field: 'version' },
  ],
};

beforeAll(async () => {
  db = await createTestDatabase('partitioned_protections');
  await db.pool.query(`CREATE TABLE reading (id integer, region text, sensor text, value integer, version integer NOT NULL DEFAULT 0, PRIMARY KEY (id, region)) PARTITION BY LIST (region)`);
  await db.pool.query(`CREATE TABLE reading_eu PARTITION OF reading FOR VALUES IN ('eu')`);
  await db.pool.query(`INSERT INTO reading VALUES (1, 'eu', 's1', 10, 0), (2, 'eu', 's2', 20, 0)`);
  await install(db.pool, [], { protections: [reading] });
  const driver = createContextDriver(pg, { mapError: mapProtectionError });
  app = new driver.Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await app?.end();
  await db?.drop();
});

const refusal = (write: Promise<unknown>) => write.then(() => undefined, (error: unknown) => {
  if (error instanceof ProtectionError) return { table: error.table, protection: error.protection, message: error.message };
  throw error;
});

describe('protections declared on a partitioned table', () => {
  it('name the partitioned table when they refuse a write to a partition', async () => {
    expect(await refusal(app.query(`DELETE FROM reading WHERE id = 1`)))
      .toMatchObject({ table: 'public.reading', protection: 'no_delete', message: expect.stringContaining('table public.reading (protection "no_delete")') });
    expect(await refusal(app.query(`UPDATE reading SET sensor = 'x' WHERE id = 1`)))
      .toMatchObject({ table: 'public.reading', protection: 'fixed_sensor', message: expect.stringContaining('sensor of table public.reading') });
    expect(await refusal(app.query(`UPDATE reading SET version = 5 WHERE id = 1`)))
      .toMatchObject({ table: 'public.reading', protection: 'version' });
  });

  it('are up to date in status, and prune leaves the triggers PostgreSQL cloned onto the partitions alone', async () => {
    await db.pool.query(`CREATE TABLE reading_us PARTITION OF reading FOR VALUES IN ('us')`); // a partition added later gets clones too
    const current = await status(db.pool, [], { protections: [reading] });
    expect(current.entries.filter((e) => e.state !== 'installed')).toEqual([]);
    expect(current.upToDate).toBe(true);
    // without the entities: one entry per protection, on the table it was declared on
    const found = (await databaseStatus(db.pool)).entries.filter((e) => e.kind === 'protection').map((e) => `${e.table} ${e.name} ${e.state}`);
    expect(found.sort()).toEqual(['public.reading fixed_sensor installed', 'public.reading no_delete installed', 'public.reading version installed']);
    expect(await prune(db.pool, [], { protections: [reading] })).toEqual([]);
    expect(await refusal(app.query(`DELETE FROM reading_us WHERE id = 1`))).toBeUndefined(); // no row, but the trigger ran
    await db.pool.query(`INSERT INTO reading VALUES (3, 'us', 's3', 30, 0)`);
    expect(await refusal(app.query(`DELETE FROM reading_us WHERE id = 3`))).toMatchObject({ table: 'public.reading', protection: 'no_delete' });
  });

  it('are ignored by the partitioned table\'s name, the versioned increment too', async () => {
    await run({ user: 'ops' }, () => ignore(['reading:no_delete', 'reading:fixed_sensor', 'reading:version'], async () => {
      await app.query(`UPDATE reading SET sensor = 's9', version = 7 WHERE id = 2`); // kept as written: no increment
      await app.query(`DELETE FROM reading WHERE id = 1`);
    }));
    const { rows } = await db.pool.query(`SELECT id, sensor, version FROM reading WHERE region = 'eu' ORDER BY id`);
    expect(rows).toEqual([{ id: 2, sensor: 's9', version: 7 }]);
  });
});
