// A core function replaced by hand (the files that define it are never run again) is reported and restored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { loadSqlMigrations } from '../install/sql-files.js';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { runAsMigration } from '../testing/run-as-migration.js';
import { coreFunctions } from './core-functions.js';
import { planMigration } from './migration-plan.js';
import { CHANGED_CORE_FUNCTION, status } from './status.js';

let db: TestDatabase;
const account: ProtectedTableSpec = {
  schema: 'public', table: 'account', primaryKey: ['id'], columns: [{ name: 'id', type: 'integer' }, { name: 'owner', type: 'text' }],
  protections: [{ kind: 'read_only', name: 'owner_fixed', fields: ['owner'] }],
};

beforeAll(async () => {
  db = await createTestDatabase('core_functions');
  await db.pool.query(`CREATE TABLE account (id int PRIMARY KEY, owner text)`);
  await install(db.pool, [], { protections: [account] });
  await db.pool.query(`INSERT INTO account VALUES (1, 'ann')`);
});
afterAll(() => db.drop());

const changedFunctions = async (schema = 'rowtrail') =>
  (await status(db.pool, [], { schema, protections: schema === 'rowtrail' ? [account] : [] })).entries.filter((e) => e.kind === 'function');

describe('core functions', () => {
  it('lists every function of the core files, and a healthy install has none changed (a schema name needing quotes too)', async () => {
    const names = coreFunctions('rowtrail', loadSqlMigrations()).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['protect', 'raise_protection', 'refuse_history_change', 'save_context', 'statement_context_id', 'refuse_read_only_change']));
    expect(await changedFunctions()).toEqual([]);
    await install(db.pool, [], { schema: 'Audit Trail' });
    expect(await changedFunctions('Audit Trail')).toEqual([]);
  });

  it('reports a core function replaced by hand, and install defines it again', async () => {
    // what turns every read-only field, FSM and versioned guard off without a trace in status until now
    await db.pool.query(`CREATE OR REPLACE FUNCTION rowtrail.refuse_read_only_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`);
    await db.pool.query(`UPDATE account SET owner = 'mallory'`);
    expect(await changedFunctions()).toEqual([{
      kind: 'function', table: 'rowtrail', name: '"rowtrail"."refuse_read_only_change"()', state: 'outdated',
      detail: `${CHANGED_CORE_FUNCTION} sql/000017_protection_missing_fields.sql; install restores it`,
    }]);
    const result = await install(db.pool, [], { protections: [account] });
    expect(result.restoredFunctions).toEqual(['"rowtrail"."refuse_read_only_change"()']);
    expect(await changedFunctions()).toEqual([]);
    expect((await install(db.pool, [], { protections: [account] })).restoredFunctions).toEqual([]);
    await expect(db.pool.query(`UPDATE account SET owner = 'eve'`)).rejects.toMatchObject({ code: 'RT001' });
  });

  it('a generated migration defines a replaced core function again', async () => {
    await db.pool.query(`CREATE OR REPLACE FUNCTION rowtrail.protect() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`);
    const plan = await planMigration(db.pool, [], { protections: [account] });
    expect(plan.changes).toEqual(['restore core function "rowtrail"."protect"()']);
    await runAsMigration(db.pool, plan.up);
    expect(await changedFunctions()).toEqual([]);
  });

  const settingsOf = async (name: string) =>
    (await db.pool.query(`SELECT proconfig FROM pg_proc WHERE oid = $1::regproc`, [`rowtrail.${name}`])).rows[0].proconfig;

  it('reports a core function whose search_path setting was taken off, and install sets it again', async () => {
    // the setting that keeps a maintenance window's facts from being faked through search_path (core version 16)
    await db.pool.query(`ALTER FUNCTION rowtrail.refuse_history_change() RESET search_path`);
    // its body is as written: the detail names the settings and the file that gave them, not the body's file
    expect(await changedFunctions()).toEqual([expect.objectContaining({
      name: '"rowtrail"."refuse_history_change"()', state: 'outdated',
      detail: 'its settings differ from those written by sql/000016_maintenance_search_path.sql (search_path = pg_catalog, pg_temp); install restores them',
    })]);
    expect((await install(db.pool, [], { protections: [account] })).restoredFunctions).toEqual(['"rowtrail"."refuse_history_change"()']);
    expect(await settingsOf('refuse_history_change')).toEqual(['search_path=pg_catalog, pg_temp']);
    expect(await changedFunctions()).toEqual([]);
  });

  it('reports a core function whose volatility was changed by hand, and install declares it again', async () => {
    // IMMUTABLE would let PostgreSQL keep one answer of protection_ignored() for a session: ignore() stuck on or off
    await db.pool.query(`ALTER FUNCTION rowtrail.protection_ignored(text, text, text) IMMUTABLE`);
    expect(await changedFunctions()).toEqual([expect.objectContaining({
      name: '"rowtrail"."protection_ignored"(table_schema text, table_name text, protection text)', state: 'outdated',
      detail: 'its attributes differ from those written by sql/000022_json_field_operators.sql (VOLATILE); install restores them',
    })]);
    expect((await install(db.pool, [], { protections: [account] })).restoredFunctions).toEqual(['"rowtrail"."protection_ignored"(table_schema text, table_name text, protection text)']);
    expect((await db.pool.query(`SELECT provolatile FROM pg_proc WHERE oid = 'rowtrail.protection_ignored(text, text, text)'::regprocedure`)).rows[0].provolatile).toBe('v');
    expect(await changedFunctions()).toEqual([]);
  });

  it('restores a function replaced by hand with the setting a later file gave it (ALTER FUNCTION … SET)', async () => {
    // stamp_maintenance_log() is defined by core version 6, its search_path set by version 16
    await db.pool.query(`CREATE OR REPLACE FUNCTION rowtrail.stamp_maintenance_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`);
    expect(await settingsOf('stamp_maintenance_log')).toBeNull();
    const plan = await planMigration(db.pool, [], { protections: [account] });
    expect(plan.changes).toEqual(['restore core function "rowtrail"."stamp_maintenance_log"()']);
    await runAsMigration(db.pool, plan.up);
    expect(await settingsOf('stamp_maintenance_log')).toEqual(['search_path=pg_catalog, pg_temp']);
    expect(await changedFunctions()).toEqual([]);
  });

  it('leaves the core functions alone where a later release of Rowtrail installed a core file this one does not have', async () => {
    // that release may define any function anew (say, with another body): restoring this release's would undo it
    await db.pool.query(`CREATE OR REPLACE FUNCTION rowtrail.protect() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; /* later */ END $$`);
    await db.pool.query(`INSERT INTO rowtrail.migrations (id, name, hash) VALUES (999999, 'from_a_later_release', 'x')`);
    try {
      expect(await changedFunctions()).toEqual([]);
      expect((await install(db.pool, [], { protections: [account] })).restoredFunctions).toEqual([]);
      expect((await db.pool.query(`SELECT prosrc FROM pg_proc WHERE oid = 'rowtrail.protect'::regproc`)).rows[0].prosrc).toContain('/* later */');
    } finally {
      await db.pool.query(`DELETE FROM rowtrail.migrations WHERE id = 999999`);
    }
    expect((await install(db.pool, [], { protections: [account] })).restoredFunctions).toEqual(['"rowtrail"."protect"()']);
  });
});
