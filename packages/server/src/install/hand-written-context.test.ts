import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { recordHistory } from '../query/record-history.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { install } from './installer.js';

// SQL clients other than the Rowtrail driver (psql, jobs in other languages) may write the context
// comment by hand (sql/000012). One Rowtrail cannot read makes the write fail, writing nothing, with
// an error that says what is wrong; a readable one is stored like the driver's.
let db: TestDatabase;
const spec: TrackedTableSpec = {
  schema: 'public', table: 'ticket', primaryKey: ['id'], label: 'snapshot', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'state', type: 'text' }],
};

beforeAll(async () => {
  db = await createTestDatabase('hand_written_context');
  await db.pool.query(`CREATE TABLE ticket (id integer PRIMARY KEY, state text NOT NULL)`);
  await db.pool.query(`CREATE TABLE note (id integer PRIMARY KEY)`);
  await install(db.pool, [spec], {
    protections: [{ schema: 'public', table: 'note', primaryKey: ['id'], protections: [{ kind: 'protect', name: 'no_notes', operations: ['insert'] }] }],
  });
  await db.pool.query(`INSERT INTO ticket VALUES (1, 'open')`);
});
afterAll(() => db.drop());

const counts = async () => (await db.pool.query<{ history: number; contexts: number; state: string }>(
  `SELECT (SELECT count(*)::int FROM rowtrail.ticket_history) AS history, (SELECT count(*)::int FROM rowtrail.context) AS contexts,
          (SELECT state FROM ticket WHERE id = 1) AS state`)).rows[0];

const ID = '0192c3a0-0000-7000-8000-00000000000';

describe('a context comment written by hand', () => {
  it.each([
    ['/*rowtrail:{user: alice}*/', 'it is not valid JSON (invalid input syntax for type json: Token "user" is invalid.)'],
    ['/*rowtrail:["alice"]*/', 'it must be a JSON object, not ["alice"]'],
    ['/*rowtrail:{"m":{"user":"alice"}}*/', '"id" (the context\'s UUID) is missing'],
    ['/*rowtrail:{"id":null}*/', '"id" (the context\'s UUID) is missing'],
    ['/*rowtrail:{"id":42}*/', '"id" must be a UUID in a JSON string, not 42'],
    ['/*rowtrail:{"id":"ticket-42"}*/', '"id" is not a UUID: "ticket-42"'],
    [`/*rowtrail:{"id":"${ID}2","m":"alice"}*/`, '"m" (the metadata) must be a JSON object, not "alice"'],
    [`/*rowtrail:{"m":["alice"],"id":"${ID}3"}*/`, '"m" (the metadata) must be a JSON object, not ["alice"]'],
    [`/*rowtrail:{"id":"${ID}4","m":null}*/`, '"m" (the metadata) must be a JSON object, not null'],
  ])('%s fails with an error naming the problem, and writes nothing', async (comment, problem) => {
    const before = await counts();
    const failure = await db.pool.query(`${comment} UPDATE ticket SET state = 'closed' WHERE id = 1`).then(() => undefined, (error: pg.DatabaseError) => error);
    expect(failure).toMatchObject({
      code: '22023',
      message: `rowtrail: cannot read the context comment /*rowtrail:…*/ at the start of the statement: ${problem}`,
      hint: expect.stringContaining('/*rowtrail:{"id":"<uuid>","m":{…}}*/'),
    });
    expect(failure?.detail).toBe(`The comment holds: ${comment.slice('/*rowtrail:'.length, -2)}`);
    expect(await counts()).toEqual(before);
  });

  it('in the driver\'s form ({"id":"<uuid>" first) but not JSON, fails with PostgreSQL\'s json error, and writes nothing', async () => {
    const before = await counts();
    await expect(db.pool.query(`/*rowtrail:{"id":"${ID}1","m":{user: "alice"}}*/ UPDATE ticket SET state = 'closed' WHERE id = 1`))
      .rejects.toMatchObject({ code: '22P02', message: 'invalid input syntax for type json', detail: 'Token "user" is invalid.' });
    expect(await counts()).toEqual(before);
  });

  it('is stored like the driver\'s when Rowtrail can read it: keys in any order, no metadata, an id in capitals', async () => {
    const written = [
      [`/*rowtrail:{"m":{"user":"alice","requestId":"by-hand"},"id":"${ID}5"}*/`, 'pending', 'alice'],
      [`/*rowtrail:{"id":"${ID}6"}*/`, 'closed', null],
      [`/*rowtrail:{"id":"${ID.toUpperCase()}7","m":{"user":"bob"}}*/`, 'open', 'bob'],
    ] as const;
    for (const [comment, state] of written) await db.pool.query(`${comment} UPDATE ticket SET state = $1 WHERE id = 1`, [state]);
    const events = (await recordHistory(db.pool, 'ticket', { id: 1 }, { order: 'asc' })).events.slice(1); // after the INSERT
    expect(events.map((e) => [e.context?.id, e.snapshot.state, e.context?.user ?? null])).toEqual(
      written.map(([, state, user], i) => [`${ID}${5 + i}`, state, user]));
    expect(events[0].context?.requestId).toBe('by-hand');
  });
});

describe('ignoring protections by hand', () => {
  const refuse = (sql: string) => db.pool.query(sql).then(() => undefined, (error: pg.DatabaseError) => error);

  it('reads "ig" from the comment, and refuses one that is not an array of names', async () => {
    await db.pool.query(`/*rowtrail:{"id":"${ID}8","ig":["no_notes"]}*/ INSERT INTO note VALUES (1)`);
    expect(await refuse(`/*rowtrail:{"id":"${ID}8","ig":"no_notes"}*/ INSERT INTO note VALUES (2)`)).toMatchObject({
      code: '22023', message: expect.stringContaining('"ig" (the protections to ignore) must be an array of names in strings, not "no_notes"'),
    });
    expect(await refuse(`/*rowtrail:{"id":"${ID}8","ig":[1]}*/ INSERT INTO note VALUES (2)`)).toMatchObject({ code: '22023' });
    expect(await refuse(`/*rowtrail:{"ig":["no_notes"]}*/ INSERT INTO note VALUES (2)`)).toMatchObject({
      code: '22023', message: expect.stringContaining('"id" (the context\'s UUID) is missing'),
    });
    expect((await db.pool.query(`SELECT array_agg(id ORDER BY id) AS ids FROM note`)).rows[0].ids).toEqual([1]);
  });

  it('refuses a rowtrail.ignore setting that is not a JSON array of names, naming the setting', async () => {
    const client = await db.pool.connect();
    try {
      for (const setting of ['no_notes', '{"no_notes":true}', '[null]']) {
        await client.query('BEGIN');
        await client.query(`SELECT set_config('rowtrail.ignore', $1, true)`, [setting]);
        const failure = await client.query(`INSERT INTO note VALUES (3)`).then(() => undefined, (error: pg.DatabaseError) => error);
        expect(failure).toMatchObject({ code: '22023', message: `rowtrail: the setting rowtrail.ignore must hold a JSON array of protection names; it holds ${setting}` });
        await client.query('ROLLBACK');
      }
      await client.query('BEGIN');
      await client.query(`SELECT set_config('rowtrail.ignore', 'no_notes', true)`);
      await expect(client.query(`SELECT rowtrail.ignore_protections(ARRAY['no_notes'])`)).rejects.toMatchObject({ code: '22023' });
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('refuses ignore_protections() without names, or with a null or empty one', async () => {
    for (const names of [null, [null], ['']]) {
      await expect(db.pool.query(`SELECT rowtrail.ignore_protections($1::text[])`, [names])).rejects.toMatchObject({
        code: '22023', message: expect.stringContaining('ignore_protections() takes an array of protection names'),
      });
    }
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT rowtrail.ignore_protections('{}'), rowtrail.ignore_protections(ARRAY['public.note:no_notes'])`);
      await client.query(`INSERT INTO note VALUES (4)`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect((await db.pool.query(`SELECT array_agg(id ORDER BY id) AS ids FROM note`)).rows[0].ids).toEqual([1, 4]);
  });
});
