// TRUNCATE removes rows without row triggers: its BEFORE trigger records each row it removes as a DELETE.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextDriver } from '../context/pg-context-driver.js';
import { run } from '../context/request-context.js';
import { install } from './installer.js';
import { idValueSpec } from '../testing/tracked-spec.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

let db: TestDatabase;
const parent = idValueSpec('parent');
const child = { ...idValueSpec('child'), columns: [...idValueSpec('child').columns, { name: 'parent_id', type: 'integer' }] };

beforeAll(async () => {
  db = await createTestDatabase('capture_truncate');
  await db.pool.query(`CREATE TABLE parent (id integer PRIMARY KEY, v text)`);
  await db.pool.query(`CREATE TABLE child (id integer PRIMARY KEY, v text, parent_id integer REFERENCES parent (id))`);
  await install(db.pool, [parent, child]);
});
afterAll(() => db.drop());

async function fill(): Promise<void> {
  await db.pool.query(`INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 3) g`);
  await db.pool.query(`INSERT INTO child SELECT g, 'c' || g, 1 + g % 3 FROM generate_series(1, 4) g`);
}

async function eventsAfter(sql: () => Promise<unknown>) {
  const { rows: [{ mark }] } = await db.pool.query(`SELECT coalesce(max(event_id), 0) AS mark FROM rowtrail.event`);
  await sql();
  const { rows } = await db.pool.query(
    `SELECT e.table_name AS t, e.operation AS op, e.record_key AS key, e.changes, c.metadata ->> 'requestId' AS request, c.metadata = '{}'::jsonb AS db_context
     FROM rowtrail.event e LEFT JOIN rowtrail.context c ON c.id = e.context_id
     WHERE e.event_id > $1 ORDER BY e.table_name, e.record_key ->> 'id'`, [mark]);
  return rows;
}

describe('TRUNCATE', () => {
  it('records every removed row as a DELETE with the whole row, in the request context of the statement', async () => {
    await fill();
    const driver = new (createContextDriver(pg).Pool)({ connectionString: db.url, max: 1 });
    try {
      const events = await eventsAfter(() => run({ user: 'ops', requestId: 'r-truncate' }, () => driver.query('TRUNCATE parent, child')));
      expect(events).toEqual([
        ...[1, 2, 3, 4].map((id) => ({ t: 'public.child', op: 'DELETE', key: { id }, changes: { id, v: `c${id}`, parent_id: 1 + (id % 3) }, request: 'r-truncate', db_context: false })),
        ...[1, 2, 3].map((id) => ({ t: 'public.parent', op: 'DELETE', key: { id }, changes: { id, v: `p${id}` }, request: 'r-truncate', db_context: false })),
      ]);
    } finally {
      await driver.end();
    }
    expect((await db.pool.query('SELECT count(*)::int AS n FROM parent')).rows[0].n).toBe(0);
  });

  it('follows CASCADE to referencing tables, and writes nothing for an empty table or a rolled-back TRUNCATE', async () => {
    await fill();
    const cascade = await eventsAfter(() => db.pool.query('TRUNCATE parent CASCADE'));
    expect(cascade.map((e) => `${e.t} ${e.op} ${e.key.id}`)).toEqual([
      'public.child DELETE 1', 'public.child DELETE 2', 'public.child DELETE 3', 'public.child DELETE 4',
      'public.parent DELETE 1', 'public.parent DELETE 2', 'public.parent DELETE 3',
    ]);
    expect(cascade.every((e) => e.request === null && e.db_context)).toBe(true); // no comment: the transaction's database context
    expect(await eventsAfter(() => db.pool.query('TRUNCATE parent, child'))).toEqual([]);
    const contexts = (await db.pool.query('SELECT count(*)::int AS n FROM rowtrail.context')).rows[0].n;
    await fill();
    const rolledBack = await eventsAfter(() => rolledBackTransaction('BEGIN', 'TRUNCATE parent, child'));
    expect(rolledBack).toEqual([]);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM rowtrail.context')).rows[0].n).toBe(contexts + 2); // the two fill() inserts only
  });

  it('in READ COMMITTED, also records rows committed while it waited for its lock', async () => {
    await db.pool.query('TRUNCATE parent, child');
    const writer = await db.pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`INSERT INTO parent VALUES (40, 'late')`);
      const truncate = eventsAfter(() => db.pool.query('TRUNCATE parent, child'));
      // TRUNCATE waits for the writer's lock before its trigger runs
      await waitUntil(async () => (await db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'TRUNCATE parent%'`)).rows[0].n === 1);
      await writer.query('COMMIT');
      // the writer's INSERT event and, under TRUNCATE's lock, the DELETE of the row it committed
      expect((await truncate).map((e) => `${e.t} ${e.op} ${e.key.id}`).sort()).toEqual(['public.parent DELETE 40', 'public.parent INSERT 40']);
    } finally {
      writer.release();
    }
  });

  it('is refused in REPEATABLE READ and SERIALIZABLE transactions, whose snapshot may miss rows it would remove', async () => {
    await fill();
    for (const level of ['REPEATABLE READ', 'SERIALIZABLE']) {
      const client = await db.pool.connect();
      try {
        await client.query(`BEGIN ISOLATION LEVEL ${level}`);
        await expect(client.query('TRUNCATE parent, child')).rejects.toMatchObject({
          code: '0A000',
          message: `Rowtrail: TRUNCATE of tracked table public.parent in a ${level} transaction refused: it could remove rows this transaction's snapshot cannot see, which history would miss`,
          hint: 'TRUNCATE it in a READ COMMITTED transaction, or use DELETE.',
        });
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    }
    expect((await db.pool.query('SELECT count(*)::int AS n FROM child')).rows[0].n).toBe(4);
    // READ UNCOMMITTED behaves as READ COMMITTED in PostgreSQL: allowed
    await rolledBackTransaction('BEGIN ISOLATION LEVEL READ UNCOMMITTED', 'TRUNCATE child');
  });

  it('is refused for a role that row-level security shows only some of the rows', async () => {
    await db.pool.query(`TRUNCATE parent, child`);
    await db.pool.query(`INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 3) g`);
    await db.pool.query(`ALTER TABLE parent ENABLE ROW LEVEL SECURITY`);
    await db.pool.query(`CREATE POLICY some_rows ON parent USING (id >= 2)`);
    const role = `rowtrail_rls_writer_${process.pid}_${Date.now()}`; // roles are cluster-wide: one of this run's own
    await db.pool.query(`CREATE ROLE ${role}`);
    try { // from here on, whatever fails, the role goes
      await db.pool.query(`GRANT USAGE ON SCHEMA rowtrail TO ${role}; GRANT SELECT, TRUNCATE ON parent, child TO ${role};
        GRANT INSERT ON ALL TABLES IN SCHEMA rowtrail TO ${role}; GRANT USAGE ON ALL SEQUENCES IN SCHEMA rowtrail TO ${role}`);
      const client = await db.pool.connect();
      try {
        await client.query(`SET ROLE ${role}`);
        await expect(client.query('TRUNCATE parent, child')).rejects.toMatchObject({
          code: '42501', message: expect.stringMatching(/^Rowtrail: TRUNCATE of tracked table public\.parent refused: row-level security hides rows/),
        });
      } finally {
        await client.query('RESET ROLE');
        client.release();
      }
    } finally {
      await db.pool.query(`ALTER TABLE parent DISABLE ROW LEVEL SECURITY; DROP POLICY some_rows ON parent; DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
    expect((await db.pool.query('SELECT count(*)::int AS n FROM parent')).rows[0].n).toBe(3);
  });
});

/** Runs one statement in a transaction opened with `begin`, then rolls it back. */
async function rolledBackTransaction(begin: string, statement: string): Promise<void> {
  const client = await db.pool.connect();
  try {
    await client.query(begin);
    await client.query(statement);
    await client.query('ROLLBACK');
  } finally {
    client.release();
  }
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
