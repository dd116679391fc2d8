// @Trigger({ timing }): a deferrable constraint trigger, as django-pgtrigger's Deferred/Immediate timing. A deferred one
// checks the row as it is at COMMIT (a balance may go negative inside the transaction); ignore() covers the changes its
// scope made, whenever the trigger fires, since the WHEN clause is evaluated as each row changes.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextDriver } from '../context/pg-context-driver.js';
import { install } from '../install/installer.js';
import { status } from '../lifecycle/status.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { ignore } from './ignore.js';
import type { ProtectedTableSpec } from './protection-spec.js';

let db: TestDatabase;
let app: pg.Pool;
const nonNegative = (timing: 'immediate' | 'deferred'): ProtectedTableSpec => ({
  schema: 'public', table: 'account', primaryKey: ['id'],
  protections: [{
    kind: 'trigger', name: 'non_negative', when: 'after', operations: ['insert', 'update'], timing,
    // reads the row as committed last: an event fired at COMMIT sees the transaction's final balance
    func: `IF (SELECT balance FROM account WHERE id = NEW.id) < 0 THEN RAISE EXCEPTION 'account % below zero', NEW.id; END IF; RETURN NULL;`,
  }],
});

beforeAll(async () => {
  db = await createTestDatabase('deferrable_trigger');
  await db.pool.query(`CREATE TABLE account (id int PRIMARY KEY, balance int NOT NULL); INSERT INTO account VALUES (1, 10), (2, 10)`);
  await install(db.pool, [], { protections: [nonNegative('deferred')] });
  app = new (createContextDriver(pg)).Pool({ connectionString: db.url, max: 1 });
});
afterAll(async () => {
  await app?.end();
  await db?.drop();
});

async function transfer(client: pg.PoolClient | pg.Pool, amount: number, settle: boolean): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`UPDATE account SET balance = balance - $1 WHERE id = 1`, [amount]); // below zero for a moment
    if (settle) await client.query(`UPDATE account SET balance = balance + $1 WHERE id = 1`, [amount]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

describe('a deferrable custom trigger', () => {
  it('deferred: checks at COMMIT, so a row may pass through an invalid state inside the transaction', async () => {
    const client = await app.connect();
    try {
      await transfer(client, 15, true);
      await expect(transfer(client, 15, false)).rejects.toThrow(/account 1 below zero/);
      expect((await db.pool.query(`SELECT balance FROM account WHERE id = 1`)).rows).toEqual([{ balance: 10 }]);
      // SET CONSTRAINTS … IMMEDIATE makes it check at the end of each statement again
      await client.query('BEGIN');
      await client.query('SET CONSTRAINTS ALL IMMEDIATE');
      await expect(client.query(`UPDATE account SET balance = balance - 15 WHERE id = 1`)).rejects.toThrow(/account 1 below zero/);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    const trigger = (await db.pool.query(`SELECT tgdeferrable, tginitdeferred FROM pg_trigger WHERE tgname = 'rowtrail_protect_non_negative'`)).rows;
    expect(trigger).toEqual([{ tgdeferrable: true, tginitdeferred: true }]);
    expect((await status(db.pool, [], { protections: [nonNegative('deferred')] })).upToDate).toBe(true);
  });

  it('is skipped for the changes an ignore() scope made, also when it fires at COMMIT outside it', async () => {
    const client = await app.connect();
    try {
      await client.query('BEGIN');
      await ignore('account:non_negative', () => client.query(`UPDATE account SET balance = balance - 15 WHERE id = 2`));
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect((await db.pool.query(`SELECT balance FROM account WHERE id = 2`)).rows).toEqual([{ balance: -5 }]);
  });

  it('immediate: checks after each statement unless the transaction defers it; changing the timing reinstalls it', async () => {
    expect((await status(db.pool, [], { protections: [nonNegative('immediate')] })).upToDate).toBe(false);
    await install(db.pool, [], { protections: [nonNegative('immediate')] });
    const client = await app.connect();
    try {
      await expect(transfer(client, 15, true)).rejects.toThrow(/account 1 below zero/);
      await client.query('BEGIN');
      await client.query('SET CONSTRAINTS ALL DEFERRED');
      await client.query(`UPDATE account SET balance = balance - 15 WHERE id = 1`);
      await client.query(`UPDATE account SET balance = balance + 15 WHERE id = 1`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  });

  it('is refused unless it fires after each row, naming the protection', async () => {
    const bad = (patch: object) => install(db.pool, [], { protections: [{ ...nonNegative('deferred'), protections: [{ ...nonNegative('deferred').protections[0], ...patch } as never] }] });
    await expect(bad({ when: 'before' })).rejects.toThrow(/protection "non_negative".*a deferrable trigger \(timing "deferred"\) fires AFTER each row; declare it with when 'after' and level 'row'/);
    await expect(bad({ level: 'statement' })).rejects.toThrow(/fires AFTER each row/);
    await expect(bad({ timing: 'later' })).rejects.toThrow(/timing must be 'immediate' or 'deferred', got "later"/);
  });
});
