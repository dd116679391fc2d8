// PostgreSQL prefers a function of the exact argument types in any schema on the search_path to pg_catalog's
// polymorphic or variadic one (jsonb_build_object(VARIADIC "any"), to_jsonb(anyelement), format(text, VARIADIC "any"),
// text || anynonarray, anyarray <@ anyarray): functions planted in a schema on a writer's search_path must never run
// inside Rowtrail's captures and protections (they would forge history, or change what a protection refuses).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import type { ProtectedTableSpec } from '../protections/protection-spec.js';
import { install } from './installer.js';

let db: TestDatabase;
const acct: TrackedTableSpec = {
  schema: 'public', table: 'acct', primaryKey: ['id'], label: 'acct', exclude: [], ignoreChanges: [],
  columns: [{ name: 'id', type: 'integer' }, { name: 'name', type: 'text' }, { name: 'balance', type: 'integer' }, { name: 'status', type: 'text' }, { name: 'doc', type: 'json' }, { name: 'tags', type: 'text[]' }, { name: 'version', type: 'integer' }],
};
const protections: ProtectedTableSpec[] = [{ schema: 'public', table: 'acct', primaryKey: ['id'], protections: [
  { kind: 'read_only', name: 'fixed_name', fields: ['name'] },
  { kind: 'fsm', name: 'flow', field: 'status', transitions: [['new', 'open']] },
  { kind: 'protect', name: 'keep', operations: ['delete'] },
  // its increment runs protection_ignored() in the writer's search_path
  { kind: 'versioned', name: 'ver', field: 'version' },
] }];

// every signature a capture or protection call of this table resolves to, planted in schema "planted"
const PLANTED = [
  ['jsonb_build_object', 'text, integer'], ['jsonb_build_object', 'text, jsonb'], ['jsonb_build_object', 'text, text'],
  ['jsonb_build_object', 'text, integer, text, text, text, integer, text, text, text, jsonb, text, text[], text, integer'],
  ['jsonb_build_object', 'text, jsonb, text, jsonb'], ['jsonb_build_object', 'text, text, text, jsonb, text, jsonb'],
  ['jsonb_build_array', 'integer, integer'], ['jsonb_build_array', 'text, text'], ['jsonb_build_array', 'text[], text[]'],
  ['to_jsonb', 'public.acct'], ['to_jsonb', 'text'], ['to_jsonb', 'text[]'], ['to_json', 'json'], ['to_json', 'text[]'],
  ['format', 'text, text, text, text, text'], ['format', 'text, text, text, text, text, text'], ['format', 'text, text'],
  ['jsonb_path_exists', 'jsonb, text'], ['hijacked_concat', 'text, integer'], ['hijacked_contained', 'smallint[], smallint[]'],
  // jsonb -> 'name' and ->> 'name': pg_catalog has them for text and integer only, so an exact (jsonb, jsonb) one wins
  ['hijacked_field', 'jsonb, jsonb'], ['hijacked_field_text', 'jsonb, jsonb'],
] as const;

beforeAll(async () => {
  db = await createTestDatabase('search_path_hijack');
  await db.pool.query(`CREATE TABLE acct (id integer PRIMARY KEY, name text, balance integer, status text, doc json, tags text[], version integer NOT NULL DEFAULT 1)`);
  await install(db.pool, [acct], { protections });
  await db.pool.query(`INSERT INTO acct VALUES (1, 'a', 10, 'new', '{"x": 1}', '{t}'), (2, 'b', 20, 'new', NULL, NULL)`);
  await db.pool.query('CREATE SCHEMA planted');
  for (const [name, args] of PLANTED) {
    const returns = name.startsWith('to_json') && !name.startsWith('to_jsonb') ? 'json' : name === 'format' || name === 'hijacked_concat' || name === 'hijacked_field_text' ? 'text' : name.endsWith('exists') || name === 'hijacked_contained' ? 'boolean' : 'jsonb';
    await db.pool.query(`CREATE FUNCTION planted.${name}(${args}) RETURNS ${returns} LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hijacked: ${name}(${args})'; END $$`);
  }
  await db.pool.query(`CREATE OPERATOR planted.|| (LEFTARG = text, RIGHTARG = integer, FUNCTION = planted.hijacked_concat)`);
  await db.pool.query(`CREATE OPERATOR planted.<@ (LEFTARG = smallint[], RIGHTARG = smallint[], FUNCTION = planted.hijacked_contained)`);
  await db.pool.query(`CREATE OPERATOR planted.-> (LEFTARG = jsonb, RIGHTARG = jsonb, FUNCTION = planted.hijacked_field)`);
  await db.pool.query(`CREATE OPERATOR planted.->> (LEFTARG = jsonb, RIGHTARG = jsonb, FUNCTION = planted.hijacked_field_text)`);
});
afterAll(() => db.drop());

/** Runs statements in one transaction with the planted schema first on the search_path (pg_catalog is searched before it). */
async function withPlantedPath<T>(fn: (query: (sql: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL search_path = planted, public');
    const result = await fn((sql) => client.query(sql));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

const refusal = (promise: Promise<unknown>) => promise.then(() => 'passed', (e: { code?: string; message: string }) => (e.code === 'RT001' ? 'refused' : e.message));

describe('functions planted on a writer\'s search_path', () => {
  it('never run in the captures: every kind of write records its true history', async () => {
    await withPlantedPath(async (query) => {
      await query(`INSERT INTO acct VALUES (3, 'c', 30, 'new', '{"y": 2}', '{u,v}')`);
      await query(`UPDATE acct SET balance = balance + 1 WHERE id = 1`);
      await query(`UPDATE acct SET balance = balance + 1, doc = '{"x": 2}', tags = '{w}'`);
      await query(`UPDATE acct SET id = 30 WHERE id = 3`);
      // after a key change of the table in this transaction: checked against the history of the key change
      await query(`UPDATE acct SET balance = balance + 1 WHERE id = 30`);
      // a new request context, as the driver writes it (save_context() reads its metadata), and one written by hand
      // with its fields in another order (statement_context_id() parses it)
      await query(`/*rowtrail:{"id":"01890000-0000-7000-8000-0000000000a1","m":{"user":"ann"}}*/UPDATE acct SET balance = 0 WHERE id = 2`);
      await query(`/*rowtrail:{"m":{"user":"bob"},"id":"01890000-0000-7000-8000-0000000000a2"}*/UPDATE acct SET balance = 1 WHERE id = 2`);
    });
    const { rows } = await db.pool.query(`SELECT e.record_key, e.operation, e.changes, c.metadata FROM rowtrail.event e
      LEFT JOIN LATERAL (SELECT metadata FROM rowtrail.context c WHERE c.id = e.context_id LIMIT 1) c ON true ORDER BY e.event_id`);
    expect(JSON.stringify(rows)).not.toMatch(/hijacked/);
    expect(rows.slice(0, 3).map((r) => [r.operation, r.record_key])).toEqual([['INSERT', { id: 1 }], ['INSERT', { id: 2 }], ['INSERT', { id: 3 }]]);
    expect(rows[3]).toMatchObject({ record_key: { id: 1 }, operation: 'UPDATE', changes: { balance: [10, 11], version: [1, 2] } });
    expect(rows.slice(-3).map((r) => [r.record_key, r.changes.balance, r.metadata?.user ?? null])).toEqual([
      [{ id: 30 }, [31, 32], null], [{ id: 2 }, [21, 0], 'ann'], [{ id: 2 }, [0, 1], 'bob'],
    ]);
  });

  it('never run in the context functions older triggers call, nor in what install records', async () => {
    const comment = '/*rowtrail:{"id":"01890000-0000-7000-8000-0000000000b1","m":{"user":"cy"}}*/';
    const contextId = await withPlantedPath((query) => query(`${comment}SELECT rowtrail.context_id() AS id`)) as { rows: Array<{ id: string }> };
    expect(contextId.rows[0].id).toBe('01890000-0000-7000-8000-0000000000b1');
    const stored = await db.pool.query(`SELECT metadata FROM rowtrail.context WHERE id = '01890000-0000-7000-8000-0000000000b1'`);
    expect(stored.rows).toEqual([{ metadata: { user: 'cy' } }]);
    const unrecorded = await withPlantedPath((query) => query(`SELECT rowtrail.unrecorded_columns('public.acct', 'public.acct'::regclass) AS names`)) as { rows: Array<{ names: string[] }> };
    expect(unrecorded.rows[0].names).toEqual([]);
  });

  it('never run in the protections: they refuse and let through as declared, with their own messages', async () => {
    // each in a transaction of its own: a refusal ends the transaction it happens in
    for (const sql of [`UPDATE acct SET name = 'z' WHERE id = 2`, `UPDATE acct SET status = 'gone' WHERE id = 2`, `DELETE FROM acct WHERE id = 2`]) {
      expect(await withPlantedPath((query) => refusal(query(sql))), sql).toBe('refused');
    }
    await withPlantedPath(async (query) => {
      await query(`SELECT rowtrail.ignore_protections(ARRAY['public.acct:keep'])`);
      expect(await refusal(query(`DELETE FROM acct WHERE id = 2`))).toBe('passed');
    });
    // ignored through the context comment, as ignore() sends it: read per statement by protection_ignored()
    const ignoring = '/*rowtrail:{"id":"01890000-0000-7000-8000-000000000001","m":{},"ig":["public.acct:keep"]}*/';
    await withPlantedPath(async (query) => {
      expect(await refusal(query(`${ignoring}INSERT INTO acct VALUES (4, 'd', 40, 'new', NULL, NULL)`))).toBe('passed');
      expect(await refusal(query(`${ignoring}DELETE FROM acct WHERE id = 4`))).toBe('passed');
    });
    // the increment ignored through the comment: read by protection_ignored() from the bump, in the writer's search_path
    const ignoringVersion = '/*rowtrail:{"id":"01890000-0000-7000-8000-000000000002","m":{},"ig":["public.acct:ver"]}*/';
    const before = (await db.pool.query(`SELECT version FROM acct WHERE id = 1`)).rows[0].version;
    await withPlantedPath((query) => query(`${ignoringVersion}UPDATE acct SET balance = balance + 1 WHERE id = 1`));
    expect((await db.pool.query(`SELECT version FROM acct WHERE id = 1`)).rows[0].version).toBe(before);
  });

  it('never run in the truncate capture', async () => {
    await withPlantedPath((query) => query('TRUNCATE acct'));
    const { rows } = await db.pool.query(`SELECT record_key, changes FROM rowtrail.event WHERE operation = 'DELETE' ORDER BY event_id`);
    expect(rows.map((r) => r.record_key.id).sort((a: number, b: number) => a - b)).toEqual([1, 2, 4, 30]); // 2 and 4 deleted under ignore, the rest truncated
    expect(JSON.stringify(rows)).not.toMatch(/hijacked/);
  });
});
