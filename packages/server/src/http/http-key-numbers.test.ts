// Record keys given as JSON numbers are read as JSON reads them, whatever their form: 1e-7 is 0.0000001, 1e39 is
// 10^39. JavaScript writes such numbers with an exponent (String(1e-7) is "1e-7"), which the key check took for a
// malformed number ("must be a number, got 1e-7"), or, for 1e39, for an integer a double cannot hold exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackedTableSpec } from '../ddl/tracked-table-spec.js';
import { install } from '../install/installer.js';
import { parseJsonInput } from '../query/exact-json.js';
import { recordHistory } from '../query/record-history.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { startServer, type RunningServer } from './standalone-server.js';

let db: TestDatabase;
let server: RunningServer;
const unexpected: unknown[] = [];
const spec = (table: string, type: string): TrackedTableSpec =>
  ({ schema: 'public', table, primaryKey: ['k'], label: table, exclude: [], ignoreChanges: [], columns: [{ name: 'k', type }, { name: 'v', type: 'text' }] });

beforeAll(async () => {
  db = await createTestDatabase('http_key_numbers');
  await db.pool.query(`CREATE TABLE by_numeric (k numeric PRIMARY KEY, v text); CREATE TABLE by_real (k real PRIMARY KEY, v text);
    CREATE TABLE by_double (k double precision PRIMARY KEY, v text); CREATE TABLE by_int (k integer PRIMARY KEY, v text);
    CREATE TABLE by_big (k bigint PRIMARY KEY, v text)`);
  await install(db.pool, [spec('by_numeric', 'numeric'), spec('by_real', 'real'), spec('by_double', 'double precision'), spec('by_int', 'integer'), spec('by_big', 'bigint')]);
  await db.pool.query(`INSERT INTO by_numeric VALUES (0.0000001, 'tiny'), (1e-50, 'tinier'), (1e-400, 'tiniest'), (1e39, 'huge'), (15, 'fifteen'), (0, 'zero');
    INSERT INTO by_real VALUES (1e-7, 'tiny'), (3e38, 'huge'), (0, 'zero');
    INSERT INTO by_double VALUES (1e-300, 'tiny'), (1e300, 'huge'), (0, 'zero');
    INSERT INTO by_int VALUES (100, 'hundred'), (0, 'zero');
    INSERT INTO by_big VALUES (9007199254740992, '2^53'), (1000000000000000000, '10^18')`);
  server = await startServer({ pool: db.pool, port: 0, token: 'key-numbers-token-0123', onError: (error) => unexpected.push(error) });
});
afterAll(async () => {
  await server?.close();
  await db.drop();
});

/** The `v` of each version /api/history lists under the key given as this JSON text. */
const history = async (table: string, key: string) => {
  const response = await fetch(`${server.url}/api/history?table=${table}&key=${encodeURIComponent(key)}`, { headers: { authorization: `Bearer ${server.token}` } });
  const body = await response.json();
  return response.status === 200 ? (body.events as Array<{ snapshot: { v: string } }>).map((e) => e.snapshot.v) : { status: response.status, body };
};

describe('record keys given as JSON numbers with an exponent', () => {
  it('find numeric keys by their exact value', async () => {
    expect(await history('by_numeric', '{"k":1e-7}')).toEqual(['tiny']);
    expect(await history('by_numeric', '{"k":0.0000001}')).toEqual(['tiny']);
    expect(await history('by_numeric', '{"k":1E-50}')).toEqual(['tinier']);
    expect(await history('by_numeric', '{"k":1e-400}')).toEqual(['tiniest']); // beyond a double: never rounded to 0
    expect(await history('by_numeric', '{"k":1e39}')).toEqual(['huge']);
    expect(await history('by_numeric', '{"k":1.5e1}')).toEqual(['fifteen']);
    expect(await history('by_numeric', '{"k":-0.5e+2}')).toEqual([]);
    expect(unexpected).toEqual([]);
  });

  it('find real and double precision keys, and find nothing for a value beyond the type', async () => {
    expect(await history('by_real', '{"k":1e-7}')).toEqual(['tiny']);
    expect(await history('by_real', '{"k":3e38}')).toEqual(['huge']);
    expect(await history('by_real', '{"k":1e-50}')).toEqual([]); // below real's range: no record has it (not 0)
    expect(await history('by_real', '{"k":1e39}')).toEqual([]); // above it
    expect(await history('by_double', '{"k":1e-300}')).toEqual(['tiny']);
    expect(await history('by_double', '{"k":1e300}')).toEqual(['huge']);
    expect(await history('by_double', '{"k":1e-400}')).toEqual([]);
    expect(unexpected).toEqual([]);
  });

  it('find integer keys, and keep every digit of a big one written as a JSON number', async () => {
    expect(await history('by_int', '{"k":1e2}')).toEqual(['hundred']);
    expect(await history('by_int', '{"k":1e-400}')).toEqual([]); // not the record 0
    expect(await history('by_big', '{"k":9007199254740992}')).toEqual(['2^53']);
    expect(await history('by_big', '{"k":1e18}')).toEqual(['10^18']);
    expect(unexpected).toEqual([]);
  });

  it('still refuse what is no number, naming the key column', async () => {
    const refused = (message: RegExp) => ({ status: 400, body: { error: { code: 'invalid_parameter', parameter: 'key.k', message: expect.stringMatching(message) } } });
    expect(await history('by_numeric', '{"k":"1e-7"}')).toEqual(refused(/^key\.k: must be a number, got "1e-7"$/)); // a string: digits only, as documented
    expect(await history('by_numeric', '{"k":true}')).toEqual(refused(/^key\.k: must be a number, got true$/));
  });
});

describe('record keys given as JavaScript numbers (the query API)', () => {
  const versions = async (table: string, key: Record<string, unknown>) => (await recordHistory(db.pool, table, key)).events.map((e) => e.snapshot.v);

  it('find numbers JavaScript writes with an exponent', async () => {
    expect(await versions('by_numeric', { k: 1e-7 })).toEqual(['tiny']);
    expect(await versions('by_numeric', { k: 1e-50 })).toEqual(['tinier']);
    expect(await versions('by_real', { k: 1e-7 })).toEqual(['tiny']);
    expect(await versions('by_real', { k: 1e-50 })).toEqual([]);
    expect(await versions('by_real', { k: 1e39 })).toEqual([]); // a float key: any double is a value of its type
    expect(await versions('by_double', { k: 1e300 })).toEqual(['huge']);
  });

  it('still refuse an integer beyond 2^53 for an integer or numeric key, which a double may already have rounded', async () => {
    for (const table of ['by_big', 'by_numeric']) {
      await expect(recordHistory(db.pool, table, { k: 9007199254740993 })).rejects.toMatchObject({ status: 400, parameter: 'key.k', message: expect.stringMatching(/^key\.k: 9007199254740992 is beyond the integers a JavaScript number holds exactly/) });
    }
    await expect(recordHistory(db.pool, 'by_numeric', { k: 1e39 })).rejects.toMatchObject({ status: 400, parameter: 'key.k' });
  });

  it('parseJsonInput spells out a number given with an exponent only up to 1024 characters (a request cannot grow a thousandfold)', () => {
    const input = `[${Array.from({ length: 1000 }, () => '1e131071').join(',')}]`;
    const parsed = parseJsonInput<string[]>(input);
    expect(parsed).toHaveLength(1000);
    expect(parsed.every((n) => n === '1e131071')).toBe(true);
    expect(parseJsonInput<string[]>('[1e1023]')[0]).toHaveLength(1024);
    expect(parseJsonInput<string[]>('[1e1024]')[0]).toBe('1e1024');
  });

  it('parseJsonInput keeps the exact value of numbers a double would round or write with an exponent', () => {
    expect(parseJsonInput('{"a":1e-400,"b":9007199254740992,"c":1e21,"d":1.5e1,"e":1e-7,"f":5}')).toEqual({ a: `0.${'0'.repeat(399)}1`, b: '9007199254740992', c: `1${'0'.repeat(21)}`, d: 15, e: 1e-7, f: 5 });
  });
});
