import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { RowtrailSubscriber } from './rowtrail-subscriber.js';
import { UntrackedNote } from './test-entities.js';
import { withRowtrail } from './with-rowtrail.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('subscriber');
});
afterAll(() => db.drop());

describe('RowtrailSubscriber', () => {
  it('fails loudly when a DataSource lists it without the Rowtrail driver: transactions and autocommit statements alike', async () => {
    await db.pool.query(`CREATE TABLE IF NOT EXISTS untracked_note (id serial PRIMARY KEY, body text NOT NULL)`);
    const misconfigured = new DataSource({ type: 'postgres', url: db.url, entities: [UntrackedNote], subscribers: [RowtrailSubscriber] });
    await misconfigured.initialize();
    try {
      await expect(misconfigured.transaction((m) => m.save(UntrackedNote, { body: 'x' }))).rejects.toThrow(/withRowtrail/);
      // autocommit writes would reach the triggers without context too
      await expect(misconfigured.getRepository(UntrackedNote).insert({ body: 'y' })).rejects.toThrow(/withRowtrail/);
      await expect(misconfigured.getRepository(UntrackedNote).update({ id: 1 }, { body: 'z' })).rejects.toThrow(/withRowtrail/);
      await expect(misconfigured.query(`INSERT INTO untracked_note (body) VALUES ('w')`)).rejects.toThrow(/withRowtrail/);
      expect((await db.pool.query(`SELECT count(*)::int AS n FROM untracked_note`)).rows[0].n).toBe(0);
    } finally {
      await misconfigured.destroy();
    }
  });

  it('is registered once by withRowtrail() and lets transactions through', async () => {
    const options = withRowtrail({ type: 'postgres', url: db.url, entities: [UntrackedNote], subscribers: [RowtrailSubscriber], synchronize: true });
    expect(options.subscribers).toEqual([RowtrailSubscriber]);
    const wired = new DataSource(options);
    await wired.initialize();
    try {
      await expect(wired.transaction((m) => m.save(UntrackedNote, { body: 'y' }))).resolves.toMatchObject({ body: 'y' });
    } finally {
      await wired.destroy();
    }
  });

  it('withRowtrail() refuses other database types', () => {
    expect(() => withRowtrail({ type: 'mysql' } as never)).toThrow(/supports DataSource type "postgres", got "mysql"/);
  });
});
