import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextDriver } from '../context/pg-context-driver.js';
import { createLiveContext, currentContext, run } from '../context/request-context.js';
import { install } from '../install/installer.js';
import { uninstall } from '../install/uninstaller.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { ignore, ignoredProtections } from './ignore.js';
import { mapProtectionError, ProtectionError } from './protection-error.js';

let db: TestDatabase;
let app: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase('ignore');
  await db.pool.query(`CREATE TABLE invoice (id int PRIMARY KEY, request int NOT NULL)`);
  const tracked = { schema: 'public', table: 'invoice', primaryKey: ['id'], columns: [{ name: 'id', type: 'integer' }, { name: 'request', type: 'integer' }], exclude: [], ignoreChanges: [], label: 'snapshot' };
  await install(db.pool, [tracked], {
    protections: [{ schema: 'public', table: 'invoice', primaryKey: ['id'], protections: [{ kind: 'protect', name: 'protect_inserts', operations: ['insert'] }, { kind: 'protect', name: 'no_truncate', operations: ['truncate'] }] }],
  });
  const driver = createContextDriver(pg, { mapError: mapProtectionError });
  app = new driver.Pool({ connectionString: db.url, max: 5 });
});
afterAll(async () => {
  await app?.end();
  await db?.drop();
});

/** One request: a transaction on a pooled connection that inserts one invoice. */
async function insertInTransaction(id: number): Promise<'inserted' | 'refused'> {
  const client = await app.connect();
  try {
    await client.query('BEGIN');
    await new Promise((resolve) => setTimeout(resolve, id % 7)); // interleave the requests
    await client.query(`INSERT INTO invoice VALUES ($1, $1)`, [id]);
    await client.query('COMMIT');
    return 'inserted';
  } catch (error) {
    await client.query('ROLLBACK');
    if (error instanceof ProtectionError) return 'refused';
    throw error;
  } finally {
    client.release();
  }
}

describe('ignore()', () => {
  it('applies only inside its scope under 100 concurrent requests', async () => {
    const outcomes = await Promise.all(Array.from({ length: 100 }, (_, i) =>
      run({ requestId: `r${i}` }, () => (i % 2 === 0 ? ignore('invoice:protect_inserts', () => insertInTransaction(i)) : insertInTransaction(i)))));
    expect(outcomes.filter((o, i) => o === (i % 2 === 0 ? 'inserted' : 'refused'))).toHaveLength(100);
    const { rows } = await db.pool.query<{ id: number }>(`SELECT id FROM invoice ORDER BY id`);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    // each ignored insert kept its own request's context
    const history = await db.pool.query(
      `SELECT (d.record_key ->> 'id')::int AS id, c.metadata ->> 'requestId' AS request FROM rowtrail.event d JOIN rowtrail.context c ON c.id = d.context_id ORDER BY 1`);
    expect(history.rows).toEqual(rows.map((r) => ({ id: r.id, request: `r${r.id}` })));
  });

  it('ends when fn throws, nests, and keeps the request context', async () => {
    await expect(ignore('protect_inserts', async () => {
      await app.query(`INSERT INTO invoice VALUES (1001, 0)`);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    await expect(app.query(`INSERT INTO invoice VALUES (1002, 0)`)).rejects.toBeInstanceOf(ProtectionError);
    await run({ user: 'alice' }, () => ignore('other', () => ignore('public.invoice:protect_inserts', async () => {
      expect(ignoredProtections()).toEqual(['other', 'public.invoice:protect_inserts']);
      expect(currentContext()?.metadata).toEqual({ user: 'alice' });
      await app.query(`INSERT INTO invoice VALUES (1003, 0)`);
    })));
    expect(ignoredProtections()).toEqual([]);
    const { rows } = await db.pool.query(`SELECT id FROM invoice WHERE id > 1000 ORDER BY id`);
    expect(rows).toEqual([{ id: 1001 }, { id: 1003 }]);
  });

  it('ends for work fn left running: a timer it started writes under the request context, without the bypass', async () => {
    let later: Promise<unknown> | undefined;
    await run({ user: 'timer' }, () => ignore('protect_inserts', async () => {
      await app.query(`INSERT INTO invoice VALUES (1601, 0)`);
      later = new Promise((resolve) => setTimeout(resolve, 20)).then(() => {
        expect(ignoredProtections()).toEqual([]);
        expect(currentContext()?.metadata).toEqual({ user: 'timer' });
        return app.query(`INSERT INTO invoice VALUES (1602, 0)`);
      });
    }));
    await expect(later).rejects.toMatchObject({ protection: 'protect_inserts' });
    const { rows } = await db.pool.query(`SELECT id FROM invoice WHERE id > 1600 AND id < 1700 ORDER BY id`);
    expect(rows).toEqual([{ id: 1601 }]);
  });

  it('applies to a lazy thenable (a query builder sends its statement when awaited), and an inner ignore() outlives an outer one only with its own names', async () => {
    const lazy = (id: number) => ({ then: (resolve: (v: unknown) => void, reject: (e: unknown) => void) => app.query(`INSERT INTO invoice VALUES (${id}, 0)`).then(resolve, reject) });
    await ignore('protect_inserts', () => lazy(1701));
    let inner: Promise<unknown> | undefined;
    await ignore('protect_inserts', async () => {
      inner = ignore('other', async () => {
        await new Promise((resolve) => setTimeout(resolve, 20)); // the outer ignore() has returned by now
        expect(ignoredProtections()).toEqual(['other']);
        return app.query(`INSERT INTO invoice VALUES (1702, 0)`);
      });
    });
    await expect(inner).rejects.toMatchObject({ protection: 'protect_inserts' });
    const { rows } = await db.pool.query(`SELECT id FROM invoice WHERE id > 1700 AND id < 1800 ORDER BY id`);
    expect(rows).toEqual([{ id: 1701 }]);
  });

  it('keeps a live request context live: a user authentication sets after ignore() began is recorded', async () => {
    const request: { user: string | null } = { user: null };
    const context = createLiveContext(() => ({ user: request.user, requestId: 'live-ignore' }));
    await run(context, () => ignore('protect_inserts', async () => {
      request.user = 'alice'; // e.g. an authentication middleware mounted after ignore()
      await app.query(`INSERT INTO invoice VALUES (1501, 0)`);
    }));
    const { rows } = await db.pool.query(
      `SELECT c.id::text AS context, c.metadata FROM rowtrail.event d JOIN rowtrail.context c ON c.id = d.context_id WHERE d.record_key ->> 'id' = '1501'`);
    expect(rows).toEqual([{ context: context.id, metadata: { user: 'alice', requestId: 'live-ignore' } }]);
  });

  it('is available to SQL clients for one transaction', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT rowtrail.ignore_protections(ARRAY['protect_inserts'])`);
      await client.query(`INSERT INTO invoice VALUES (2001, 0)`);
      await client.query('COMMIT');
      await expect(client.query(`INSERT INTO invoice VALUES (2002, 0)`)).rejects.toMatchObject({ code: 'RT001' });
    } finally {
      client.release();
    }
  });

  it('protects TRUNCATE unless ignored, and uninstall removes every protection', async () => {
    await expect(app.query(`TRUNCATE invoice`)).rejects.toMatchObject({ protection: 'no_truncate', operation: 'TRUNCATE' });
    await ignore('no_truncate', () => app.query(`TRUNCATE invoice`));
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM invoice`)).rows[0].n).toBe(0);
    await uninstall(db.pool);
    const { rows } = await db.pool.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'invoice'::regclass AND NOT tgisinternal`);
    expect(rows).toEqual([]);
    await app.query(`INSERT INTO invoice VALUES (1, 1)`);
  });
});
