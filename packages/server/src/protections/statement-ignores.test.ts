import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextDriver } from '../context/pg-context-driver.js';
import { run } from '../context/request-context.js';
import { install } from '../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { ignore } from './ignore.js';

// protection_ignored() keeps the names a statement's comment ignores for the rest of that statement (sql/000019):
// these tests hold it to the statement, never to a neighbour of it, whatever runs between them.

let db: TestDatabase;
const ROWS = 3000;

/** A comment in the driver's form, ignoring `names`. */
const comment = (names: string[]) => `/*rowtrail:${JSON.stringify({ id: randomUUID(), ig: names })}*/`;

beforeAll(async () => {
  db = await createTestDatabase('statement_ignores');
  await db.pool.query(`CREATE TABLE doc (id int PRIMARY KEY, body text NOT NULL, version int NOT NULL DEFAULT 1)`);
  await install(db.pool, [], {
    protections: [{ schema: 'public', table: 'doc', primaryKey: ['id'], protections: [{ kind: 'versioned', name: 'rev', field: 'version' }] }],
  });
  // sets (or clears) rowtrail.ignore on the way: a function may change it between two rows of one statement
  await db.pool.query(`CREATE FUNCTION body_ignoring_even(id int) RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT set_config('rowtrail.ignore', CASE WHEN id % 2 = 0 THEN '["rev"]' ELSE '' END, true) || 'changed ' || id $$`);
});
afterAll(async () => {
  await db?.drop();
});

async function reset(client: pg.ClientBase): Promise<void> {
  await client.query(`TRUNCATE doc`);
  await client.query(`INSERT INTO doc (id, body) SELECT g, 'b' FROM generate_series(1, ${ROWS}) g`);
}

const versions = async (client: pg.ClientBase) =>
  (await client.query<{ version: number; n: number }>(`SELECT version, count(*)::int AS n FROM doc GROUP BY 1 ORDER BY 1`)).rows;

describe('the ignored protections of a statement', () => {
  it('hold for every row of a statement with a long text, and for no other statement of its transaction', async () => {
    const client = await db.pool.connect();
    try {
      await reset(client);
      const ids = Array.from({ length: ROWS }, (_, i) => i + 1);
      const inList = `WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`;
      await client.query('BEGIN');
      for (let round = 0; round < 10; round++) {
        // alternately ignored and not, back to back in one transaction
        await client.query(`${comment(round % 2 === 0 ? ['rev'] : ['other'])}UPDATE doc SET body = 'r${round}' ${inList}`, ids);
      }
      await client.query('COMMIT');
      expect(await versions(client)).toEqual([{ version: 6, n: ROWS }]); // 1 + the five rounds not ignored
    } finally {
      client.release();
    }
  });

  it('follow the comment of each statement in turn, also after a savepoint rolled back', async () => {
    const client = await db.pool.connect();
    try {
      await reset(client);
      await client.query('BEGIN');
      await client.query('SAVEPOINT s');
      await client.query(`${comment(['rev'])}UPDATE doc SET body = 'ignored'`);
      await client.query('ROLLBACK TO SAVEPOINT s');
      await client.query(`${comment([])}UPDATE doc SET body = 'counted'`);
      await client.query(`${comment(['public.doc:rev'])}UPDATE doc SET body = 'ignored by its qualified name'`);
      await client.query(`UPDATE doc SET body = 'no comment'`);
      await client.query('COMMIT');
      expect(await versions(client)).toEqual([{ version: 3, n: ROWS }]);
    } finally {
      client.release();
    }
  });

  it('read the rowtrail.ignore setting for every row, as a function of the statement changes it', async () => {
    const client = await db.pool.connect();
    try {
      await reset(client);
      await client.query(`${comment(['other'])}UPDATE doc SET body = body_ignoring_even(id)`);
      expect(await versions(client)).toEqual([{ version: 1, n: ROWS / 2 }, { version: 2, n: ROWS / 2 }]);
      const odd = await client.query(`SELECT count(*)::int AS n FROM doc WHERE id % 2 = 1 AND version = 2`);
      expect(odd.rows[0].n).toBe(ROWS / 2);
    } finally {
      client.release();
    }
  });

  it('come from ignore() through the driver, in and out of its scope on one connection', async () => {
    const driver = createContextDriver(pg);
    const app = new driver.Pool({ connectionString: db.url, max: 1 });
    try {
      await reset(db.pool as unknown as pg.ClientBase);
      await run({ user: 'u' }, async () => {
        for (let round = 0; round < 6; round++) {
          const update = () => app.query(`UPDATE doc SET body = $1 WHERE id <= 100`, [`r${round}`]);
          await (round % 3 === 0 ? ignore('rev', update) : update());
        }
      });
      const { rows } = await db.pool.query(`SELECT DISTINCT version FROM doc WHERE id <= 100`);
      expect(rows).toEqual([{ version: 5 }]); // 1 + four rounds outside ignore()
    } finally {
      await app.end();
    }
  });

  it('refuse a malformed comment on every statement, not only on the first of a transaction', async () => {
    const client = await db.pool.connect();
    try {
      await reset(client);
      await client.query('BEGIN');
      await client.query(`${comment([])}UPDATE doc SET body = 'fine' WHERE id = 1`);
      await expect(client.query(`/*rowtrail:{"id":"${randomUUID()}","ig":"rev"}*/UPDATE doc SET body = 'bad' WHERE id = 1`))
        .rejects.toMatchObject({ code: '22023', message: expect.stringContaining('"ig"') });
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });
});
