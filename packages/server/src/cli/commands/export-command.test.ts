import { mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExport } from '../../export/export-format.js';
import { activityFeed } from '../../query/activity-feed.js';
import { contextChanges } from '../../query/context-changes.js';
import { BIG_AMOUNTS, BIG_ID, createFixtureTables, writeScriptedHistory, type ScriptedHistory } from '../../query/history-fixture.test-support.js';
import { recordHistory } from '../../query/record-history.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { runCli, spawnCli } from './run-cli.test-support.js';

let db: TestDatabase;
let script: ScriptedHistory;
const dir = mkdtempSync(path.join(tmpdir(), 'rowtrail-export-'));
beforeAll(async () => {
  db = await createTestDatabase('cli_export');
  await createFixtureTables(db.pool);
  script = await writeScriptedHistory(db.pool);
});
afterAll(() => db.drop());

describe('rowtrail export', () => {
  it('writes a filter export to stdout equal to the query API result', async () => {
    const result = await runCli(['export', '--table', 'account', '--operation', 'update', '--format', 'ndjson'], { DATABASE_URL: db.url });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const expected = (await activityFeed(db.pool, { tables: ['account'], operations: ['UPDATE'] })).events.reverse();
    expect(parseExport(result.stdout, 'ndjson').events).toEqual(expected);
    expect(expected).toHaveLength(2);
  });

  it('writes a request export to a file given with --out', async () => {
    const out = path.join(dir, 'alice.json');
    const result = await runCli(['--database-url', db.url, 'export', '--context', script.contexts.alice.id, '--out', out], { DATABASE_URL: undefined });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`wrote ${out}`);
    const exported = parseExport(readFileSync(out, 'utf8'), 'json');
    expect(exported.selection).toEqual({ kind: 'context', contextId: script.contexts.alice.id });
    expect(exported.events).toEqual((await contextChanges(db.pool, script.contexts.alice.id)).events);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('leaves the file another export to the same --out is writing alone', async () => {
    const out = path.join(dir, 'both.ndjson');
    writeFileSync(`${out}.partial`, 'another run, half way\n'); // as an earlier version names its file in progress
    const result = await runCli(['export', '--table', 'account', '--operation', 'update', '--format', 'ndjson', '--out', out], { DATABASE_URL: db.url });
    expect(result.code).toBe(0);
    expect(parseExport(readFileSync(out, 'utf8'), 'ndjson').events.map((e) => e.operation)).toEqual(['UPDATE', 'UPDATE']);
    expect(readFileSync(`${out}.partial`, 'utf8')).toBe('another run, half way\n');
    expect(readdirSync(dir).filter((f) => f.startsWith('both.ndjson.') && f !== 'both.ndjson.partial')).toEqual([]);
  });

  it('exports one record', async () => {
    const result = await runCli(['export', '--table', 'note', '--key', '{"slug":"n1"}'], { DATABASE_URL: db.url });
    expect(parseExport(result.stdout, 'json').events.map((e) => e.operation)).toEqual(['INSERT', 'UPDATE']);
    const zeros = await runCli(['export', '--table', 'account', '--key', '{"id":"01"}'], { DATABASE_URL: db.url });
    expect([zeros.code, zeros.stderr]).toEqual([0, '']);
    expect(parseExport(zeros.stdout, 'json').events.map((e) => e.operation)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    const big = await runCli(['export', '--table', 'ledger', '--key', `{"id":${BIG_ID}}`, '--format', 'ndjson'], { DATABASE_URL: db.url });
    expect(big.stdout).toContain(BIG_AMOUNTS[1]); // every digit, as in the database
    // no such record: the header alone, and a word on stderr, to stdout and to a file alike
    const none = await runCli(['export', '--table', 'account', '--key', '{"id":424242}'], { DATABASE_URL: db.url });
    expect([none.code, parseExport(none.stdout, 'json').events]).toEqual([0, []]);
    expect(none.stderr).toBe('rowtrail: no events matched the selection: the export holds its header only\n');
    const noneFile = await runCli(['export', '--table', 'account', '--key', '{"id":424242}', '--out', path.join(dir, 'none.json')], { DATABASE_URL: db.url });
    expect(noneFile.stderr).toContain('rowtrail: no events matched the selection: the export holds its header only\n');
    expect(parseExport(big.stdout, 'ndjson').events).toEqual((await recordHistory(db.pool, 'ledger', { id: BIG_ID }, { order: 'asc' })).events.map(({ snapshot: _s, ...diff }) => diff));
  });

  it('fails clearly: unknown table, bad key, wrong URL, no database, missing install', async () => {
    const cases: Array<[string[], Record<string, string | undefined>, RegExp]> = [
      [['export', '--table', 'ghost'], { DATABASE_URL: db.url }, /--table: "ghost" is not a tracked table/],
      [['export', '--table', 'account', '--key', '{"nope":1}'], { DATABASE_URL: db.url }, /--key: "nope" is not a primary-key column/],
      [['export', '--table', 'account', '--key', '{"id":"1e3"}'], { DATABASE_URL: db.url }, /--key: must be a number, got "1e3"/],
      [['export', '--from', 'yesterday'], { DATABASE_URL: db.url }, /--from: must be an ISO 8601 date/],
      [['export'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' }, /cannot connect to PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/x: connection refused/],
      [['export'], { DATABASE_URL: db.url.replace(/\/[^/]*$/, '/rowtrail_no_such_db') }, /database "rowtrail_no_such_db" does not exist/],
      [['export'], { DATABASE_URL: undefined }, /pass --database-url <url> or set DATABASE_URL/],
      [['--schema', 'elsewhere', 'export'], { DATABASE_URL: db.url }, /Rowtrail is not installed in this database \(no schema "elsewhere"/],
    ];
    for (const [args, env, message] of cases) {
      const result = await runCli(args, env);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    }
  });

  it('stops quietly when the reader closes the pipe early (| head)', async () => {
    await db.pool.query(`INSERT INTO note (slug, body) SELECT 'bulk' || g, repeat('x', 200) FROM generate_series(1, 20000) g`);
    const child = spawnCli(['export', '--format', 'ndjson'], { DATABASE_URL: db.url });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.once('data', () => child.stdout!.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
