// PostgreSQL fires a table's BEFORE TRUNCATE triggers in name order. A protection refusing TRUNCATE fires before the
// capture, so a refused TRUNCATE copies no row into history; a capture installed under the capture trigger's earlier
// name (which fired first) is renamed by the next install, and a generated migration's down restores it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planMigration } from '../lifecycle/migration-plan.js';
import { prune } from '../lifecycle/prune.js';
import { status } from '../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec, protectedTable } from '../testing/tracked-spec.js';
import { install } from './installer.js';

let db: TestDatabase;
const ledger = idValueSpec('ledger');
const protections = protectedTable('ledger', { kind: 'protect', name: 'append_only', operations: ['update', 'delete', 'truncate'] });
const truncateTriggers = async () => (await db.pool.query(
  `SELECT tgname FROM pg_trigger WHERE tgrelid = 'ledger'::regclass AND (tgtype & 32) <> 0 ORDER BY tgname`, // 32: TRUNCATE
)).rows.map((r) => r.tgname);
const eventIds = async () => (await db.pool.query(`SELECT last_value FROM rowtrail.event_id_seq`)).rows[0].last_value;

beforeAll(async () => {
  db = await createTestDatabase('truncate_trigger_order');
  await db.pool.query(`CREATE TABLE ledger (id integer PRIMARY KEY, v text)`);
  await install(db.pool, [ledger], { protections });
  await db.pool.query(`INSERT INTO ledger SELECT g, 'v' || g FROM generate_series(1, 500) g`);
});
afterAll(() => db.drop());

describe('a TRUNCATE a protection refuses', () => {
  it('fails with the protection\'s error before the capture reads a row, in every isolation level', async () => {
    expect(await truncateTriggers()).toEqual(['rowtrail_protect_append_only_truncate', 'rowtrail_truncate_capture']);
    const before = await eventIds();
    for (const isolation of ['READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE']) {
      const client = await db.pool.connect();
      try {
        await client.query(`BEGIN ISOLATION LEVEL ${isolation}`);
        await expect(client.query('TRUNCATE ledger'), isolation).rejects.toMatchObject({ code: 'RT001' });
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    }
    // the capture never ran: no event id was drawn for the 500 rows
    expect(await eventIds()).toBe(before);
  });
});

describe('a capture installed under the TRUNCATE trigger\'s earlier name', () => {
  const legacy = () => db.pool.query(`ALTER TRIGGER rowtrail_truncate_capture ON ledger RENAME TO rowtrail_capture_truncate`);

  it('is reported outdated (not orphaned: prune keeps it), and install renames it (one trigger, each removed row recorded once)', async () => {
    await legacy();
    const before = (await status(db.pool, [ledger], { protections })).entries;
    expect(before.find((e) => e.kind === 'capture')).toMatchObject({ state: 'outdated', detail: expect.stringContaining('its capture trigger rowtrail_capture_truncate has the name an earlier version gave it') });
    expect(before.filter((e) => e.state === 'orphaned')).toEqual([]);
    expect(await prune(db.pool, [ledger], { protections })).toEqual([]);
    expect(await truncateTriggers()).toEqual(['rowtrail_capture_truncate', 'rowtrail_protect_append_only_truncate']);
    await install(db.pool, [ledger], { protections });
    expect(await truncateTriggers()).toEqual(['rowtrail_protect_append_only_truncate', 'rowtrail_truncate_capture']);
    expect((await status(db.pool, [ledger], { protections })).upToDate).toBe(true);
    await db.pool.query(`DROP TRIGGER rowtrail_protect_append_only_truncate ON ledger`);
    await db.pool.query('TRUNCATE ledger');
    expect((await db.pool.query(`SELECT count(*)::int AS n, count(DISTINCT record_key)::int AS keys FROM rowtrail.event WHERE operation = 'DELETE'`)).rows[0])
      .toEqual({ n: 500, keys: 500 });
    await install(db.pool, [ledger], { protections });
  });

  it('is renamed by a generated migration, whose down restores it', async () => {
    await legacy();
    const plan = await planMigration(db.pool, [ledger], { protections });
    for (const sql of plan.up) await db.pool.query(sql);
    expect(await truncateTriggers()).toEqual(['rowtrail_protect_append_only_truncate', 'rowtrail_truncate_capture']);
    for (const sql of plan.down) await db.pool.query(sql);
    expect(await truncateTriggers()).toEqual(['rowtrail_capture_truncate', 'rowtrail_protect_append_only_truncate']);
  });
});
