// Generated functions are dollar-quoted with a tag their body does not contain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { dollarQuote } from './dollar-quote.js';
import type { TrackedTableSpec } from './tracked-table-spec.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('dollar_quote');
  await db.pool.query(`CREATE TABLE note (id int PRIMARY KEY, body text)`);
});
afterAll(() => db.drop());

describe('dollarQuote', () => {
  it('picks the first tag absent from the body', async () => {
    expect(dollarQuote('SELECT 1')).toBe('$rowtrail$SELECT 1$rowtrail$');
    expect(dollarQuote(`SELECT '$rowtrail$'`)).toBe(`$rowtrail_1$SELECT '$rowtrail$'$rowtrail_1$`);
    expect(dollarQuote(`$rowtrail$ $rowtrail_1$`)).toBe(`$rowtrail_2$$rowtrail$ $rowtrail_1$$rowtrail_2$`);
    // a body ending in "$rowtrail" would close early with the plain tag
    expect(dollarQuote('x $rowtrail')).toBe('$rowtrail_1$x $rowtrail$rowtrail_1$');
    const { rows } = await db.pool.query(`SELECT ${dollarQuote(`it's $rowtrail$ and $rowtrail_1$`)} AS text`);
    expect(rows).toEqual([{ text: `it's $rowtrail$ and $rowtrail_1$` }]);
  });

  it('lets labels and custom trigger bodies contain $rowtrail$', async () => {
    const tracked: TrackedTableSpec = {
      schema: 'public', table: 'note', primaryKey: ['id'], columns: [{ name: 'id', type: 'integer' }, { name: 'body', type: 'text' }],
      exclude: [], ignoreChanges: [], label: 'price $rowtrail$ import',
    };
    await install(db.pool, [tracked], {
      protections: [{
        schema: 'public', table: 'note', primaryKey: ['id'],
        protections: [{ kind: 'trigger', name: 'stamp', when: 'before', operations: ['insert'], func: `NEW.body := NEW.body || ' $rowtrail$'; RETURN NEW;` }],
      }],
    });
    await db.pool.query(`INSERT INTO note VALUES (1, 'a')`);
    expect((await db.pool.query(`SELECT body FROM note`)).rows).toEqual([{ body: 'a $rowtrail$' }]);
    expect((await db.pool.query(`SELECT label FROM rowtrail.event`)).rows).toEqual([{ label: 'price $rowtrail$ import' }]);
  });
});
