// The TypeORM-free lifecycle functions check their options as the *Tracked wrappers do: a misspelt `shcema` fell back to
// the default "rowtrail" schema, so uninstall() or prune() with it acted on the default installation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { uninstall } from '../install/uninstaller.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { databaseStatus } from './database-status.js';
import { planMigration } from './migration-plan.js';
import { prune } from './prune.js';
import { status } from './status.js';
import { untrack } from './untrack.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('core_option_checks');
  await db.pool.query(`CREATE TABLE item (id integer PRIMARY KEY, v text)`);
  await install(db.pool, [idValueSpec('item')]);
});
afterAll(() => db.drop());

describe('the core lifecycle functions\' options', () => {
  it('refuse a misspelt option or a value of the wrong kind, naming the function and the option, before doing anything', async () => {
    const specs = [idValueSpec('item')];
    const refusals: [Promise<unknown>, RegExp][] = [
      [install(db.pool, specs, { shcema: 'audit' } as never), /^Rowtrail: install: shcema: is not an option \(those are schema, snapshotTableName, protections\)$/],
      [install(db.pool, specs, { protections: 'all' } as never), /^Rowtrail: install: protections: must be an array of protected tables/],
      [uninstall(db.pool, { shcema: 'audit' } as never), /^Rowtrail: uninstall: shcema: is not an option \(those are schema\)$/],
      [prune(db.pool, specs, { dropHistroy: true } as never), /^Rowtrail: prune: dropHistroy: is not an option/],
      [prune(db.pool, specs, { allowEmpty: 'yes' } as never), /^Rowtrail: prune: allowEmpty: must be true or false, got "yes"$/],
      [untrack(db.pool, ['item'], { dropHistory: 'yes' } as never), /^Rowtrail: untrack: dropHistory: must be true or false, got "yes"$/],
      [status(db.pool, specs, { schema: '' }), /^Rowtrail: status: schema: must be a schema name \(a non-empty string\), got ""$/],
      [planMigration(db.pool, specs, { snapshotTableName: 'history' } as never), /^Rowtrail: planMigration: snapshotTableName: must be a function/],
      [databaseStatus(db.pool, { schemas: ['rowtrail'] } as never), /^Rowtrail: databaseStatus: schemas: is not an option/],
    ];
    for (const [refused, message] of refusals) await expect(refused).rejects.toThrow(message);
    // nothing was uninstalled, untracked or pruned
    expect((await status(db.pool, specs)).upToDate).toBe(true);
  });
});
