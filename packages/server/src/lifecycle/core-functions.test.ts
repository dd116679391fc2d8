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
});
