// The API's database role: with the documented grants (docs/http-api.md, "Privileges") every endpoint answers; without
// them an endpoint says which privilege is missing, and an export is refused before it answers 200 (it stopped after
// its header, an invalid JSON document served as a download).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExport } from '../export/export-format.js';
import { createFixtureTables, writeScriptedHistory } from '../query/history-fixture.test-support.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { install } from '../install/installer.js';
import { startServer, type RunningServer } from './standalone-server.js';

const role = `rowtrail_api_${randomBytes(3).toString('hex')}`;
let db: TestDatabase;
let rolePool: pg.Pool;
let server: RunningServer;
const logged: unknown[] = [];

beforeAll(async () => {
  db = await createTestDatabase('http_privileges');
  await createFixtureTables(db.pool);
  await writeScriptedHistory(db.pool);
  // a password: the embedded server's connections authenticate by password, the machine's may trust
  const password = randomBytes(12).toString('hex');
  await db.pool.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'; GRANT USAGE ON SCHEMA rowtrail TO ${role}; GRANT SELECT ON rowtrail.tracked_table TO ${role}`);
  const url = new URL(db.url);
  url.username = role;
  url.password = password;
  rolePool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  server = await startServer({ pool: rolePool, port: 0, token: 'privileges-token-0123456789', onError: (error) => logged.push(error) });
});
afterAll(async () => {
  await server?.close();
  await rolePool?.end();
  await db.pool.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
  await db.drop();
});

const get = async (path: string) => {
  const response = await fetch(server.url + path, { headers: { authorization: `Bearer ${server.token}` } });
  return { status: response.status, text: await response.text() };
};

describe("the API's database role", () => {
  it('without SELECT on the history: every endpoint names the missing privilege, and an export is refused before its 200', async () => {
    for (const path of ['/api/events', '/api/history?table=account&key=%7B%22id%22%3A1%7D', '/api/export?table=account', '/api/export?table=account&format=ndjson',
      '/api/export/link?table=account', '/api/export?table=account&key=%7B%22id%22%3A1%7D']) {
      const { status, text } = await get(path);
      expect([path, status, JSON.parse(text).error.code]).toEqual([path, 500, 'permission_denied']);
      expect(JSON.parse(text).error.message, path).toMatch(/^the API's database role may not read what this needs: permission denied/);
    }
    const exported = JSON.parse((await get('/api/export?table=account')).text).error.message;
    expect(exported).toContain('may not read "rowtrail"."event", "rowtrail"."context", "rowtrail"."diff", "rowtrail"."account_history"');
    expect(logged.length).toBeGreaterThan(0); // logged on the server too
  });

  it('with the documented grants: the same requests answer, and the export is whole', async () => {
    await db.pool.query(`GRANT SELECT ON ALL TABLES IN SCHEMA rowtrail TO ${role}`);
    for (const path of ['/api/events', '/api/tables', '/api/history?table=account&key=%7B%22id%22%3A1%7D']) expect([path, (await get(path)).status]).toEqual([path, 200]);
    const { status, text } = await get('/api/export?table=account&format=ndjson');
    expect(status).toBe(200);
    expect(parseExport(text, 'ndjson').events.length).toBeGreaterThan(0);
  });

  it('a table tracked after the grants: the overview lists it with what PostgreSQL refused, the other tables as before', async () => {
    await db.pool.query(`CREATE TABLE invoice (id int PRIMARY KEY, total numeric)`);
    await install(db.pool, [{ schema: 'public', table: 'invoice', primaryKey: ['id'], label: 'invoice', exclude: [], ignoreChanges: [], columns: [{ name: 'id', type: 'integer' }, { name: 'total', type: 'numeric' }] }]);
    await db.pool.query(`INSERT INTO invoice VALUES (1, 9.5)`);
    const { status, text } = await get('/api/tables');
    expect(status).toBe(200);
    const tables = JSON.parse(text).tables as { table: string; events: number | null; lastChangeAt: string | null; readError?: string }[];
    expect(tables.map((t) => [t.table, t.events === null, t.readError ?? null])).toEqual([
      ['public.account', false, null], ['public.invoice', true, 'permission denied for table invoice_history'],
      ['public.ledger', false, null], ['public.note', false, null],
    ]);
    expect(tables.find((t) => t.table === 'public.account')!.events).toBeGreaterThan(0);
    // the feed reads through the view rowtrail.event, which the role may still read
    for (const path of ['/api/events', '/api/events?table=invoice', '/api/export?table=account']) expect([path, (await get(path)).status]).toEqual([path, 200]);
    // what reads that history table itself (a record's history, an export of the table) names it
    for (const path of ['/api/export?table=invoice', '/api/history?table=invoice&key=%7B%22id%22%3A1%7D']) {
      const { status: refused, text: body } = await get(path);
      expect([path, refused, JSON.parse(body).error.code]).toEqual([path, 500, 'permission_denied']);
      expect(JSON.parse(body).error.message, path).toContain('invoice_history');
    }
  });
});
