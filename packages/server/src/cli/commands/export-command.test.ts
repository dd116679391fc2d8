import { mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExport } from '../../export/export-format.js';
import { activityFeed } from '../../query/activity-feed.js';
import { contextChanges } from '../../query/context-changes.js';
import { BIG_AMOUNTS, BIG_ID, createFixtureTables, writeScriptedHistory, type ScriptedHistory } from '../../query/history-fixture.test-support.js';
import { recordHistory } from '../../query/record-history.js';
import { install } from '../../install/installer.js';
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

  it('filters by the columns an update changed (--changed, repeatable), naming the flag when one is not recorded', async () => {
    const result = await runCli(['export', '--table', 'account', '--changed', 'balance', '--changed', 'name', '--format', 'ndjson'], { DATABASE_URL: db.url });
    expect([result.code, result.stderr]).toEqual([0, '']);
    const expected = (await activityFeed(db.pool, { tables: ['account'], changed: ['balance', 'name'] })).events.reverse();
    expect(expected.length).toBeGreaterThan(0);
    expect(parseExport(result.stdout, 'ndjson')).toMatchObject({ selection: { kind: 'filter', filter: { tables: ['account'], changed: ['balance', 'name'] } }, events: expected });
    const bad = await runCli(['export', '--table', 'account', '--changed', 'balanse'], { DATABASE_URL: db.url });
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('--changed: "balanse" is not a column history records for public.account')]);
    // the filter's own words name the CLI's flags, not the HTTP parameters
    const tableless = await runCli(['export', '--changed', 'balance'], { DATABASE_URL: db.url });
    expect([tableless.code, tableless.stderr]).toEqual([1, expect.stringContaining('--changed: needs exactly one --table parameter')]);
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
    expect(none.stderr).toBe('rowtrail: no events matched the selection: the export holds its header and end only\n');
    const noneFile = await runCli(['export', '--table', 'account', '--key', '{"id":424242}', '--out', path.join(dir, 'none.json')], { DATABASE_URL: db.url });
    expect(noneFile.stderr).toContain('rowtrail: no events matched the selection: the export holds its header and end only\n');
    expect(parseExport(big.stdout, 'ndjson').events).toEqual((await recordHistory(db.pool, 'ledger', { id: BIG_ID }, { order: 'asc' })).events.map(({ snapshot: _s, ...diff }) => diff));
  });

  it('exports every record that has part of a composite key, as a filter on it', async () => {
    await db.pool.query(`CREATE TABLE article_tag (article_id integer, tag_id integer, PRIMARY KEY (article_id, tag_id))`);
    await install(db.pool, [{ schema: 'public', table: 'article_tag', primaryKey: ['article_id', 'tag_id'], label: 'article_tag', exclude: [], ignoreChanges: [],
      columns: [{ name: 'article_id', type: 'integer' }, { name: 'tag_id', type: 'integer' }] }]);
    await db.pool.query(`INSERT INTO article_tag VALUES (5, 1), (5, 2), (6, 1); DELETE FROM article_tag WHERE tag_id = 2`);
    const links = await runCli(['export', '--table', 'article_tag', '--key', '{"article_id":5}', '--format', 'ndjson'], { DATABASE_URL: db.url });
    expect([links.code, links.stderr]).toEqual([0, '']);
    const exported = parseExport(links.stdout, 'ndjson');
    expect(exported.selection).toEqual({ kind: 'filter', filter: { tables: ['article_tag'], recordKey: { article_id: 5 } } });
    expect(exported.events.map((e) => [e.operation, e.recordKey])).toEqual([
      ['INSERT', { article_id: 5, tag_id: 1 }], ['INSERT', { article_id: 5, tag_id: 2 }], ['DELETE', { article_id: 5, tag_id: 2 }],
    ]);
    // the whole key is one record's export, as before
    const one = await runCli(['export', '--table', 'article_tag', '--key', '{"tag_id":1,"article_id":6}'], { DATABASE_URL: db.url });
    expect(parseExport(one.stdout, 'json').selection).toMatchObject({ kind: 'record', table: 'public.article_tag' });
    expect(parseExport(one.stdout, 'json').events).toHaveLength(1);
    // with a filter flag, part of the key or the whole key is a filter's recordKey
    for (const key of ['{"article_id":5}', '{"article_id":5,"tag_id":2}']) {
      const deleted = await runCli(['export', '--table', 'article_tag', '--key', key, '--operation', 'delete', '--format', 'ndjson'], { DATABASE_URL: db.url });
      expect([deleted.code, deleted.stderr], key).toEqual([0, '']);
      expect(parseExport(deleted.stdout, 'ndjson').selection).toEqual({ kind: 'filter', filter: { tables: ['article_tag'], operations: ['DELETE'], recordKey: JSON.parse(key) } });
      expect(parseExport(deleted.stdout, 'ndjson').events.map((e) => e.recordKey)).toEqual([{ article_id: 5, tag_id: 2 }]);
    }
    const unknown = await runCli(['export', '--table', 'article_tag', '--key', '{"article":5}'], { DATABASE_URL: db.url });
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining('--key: "article" is not a primary-key column of public.article_tag')]);
  });

  it('fails clearly: unknown table, bad key, wrong URL, no database, missing install', async () => {
    const cases: Array<[string[], Record<string, string | undefined>, RegExp]> = [
      [['export', '--table', 'ghost'], { DATABASE_URL: db.url }, /--table: "ghost" is not a tracked table/],
      [['export', '--table', 'account', '--key', '{"nope":1}'], { DATABASE_URL: db.url }, /--key: "nope" is not a primary-key column/],
      [['export', '--table', 'account', '--key', '{"id":"1e3"}'], { DATABASE_URL: db.url }, /--key \(id\): must be a number, got "1e3"/],
      [['export', '--table', 'account', '--key', '{"id":1,"id":2}'], { DATABASE_URL: db.url }, /--key gives "id" twice: give each column once/],
      [['export', '--from', 'yesterday'], { DATABASE_URL: db.url }, /--from: must be an ISO 8601 date/],
      // named as the CLI's flag throughout, not as the HTTP API's "after"
      [['export', '--after', '999999990:999999990:'], { DATABASE_URL: db.url }, /--after: watermark "999999990:999999990:" is ahead of this database .*; export without --after to start a new chain\n$/],
      [['export'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' }, /cannot connect to PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/x: connection refused/],
      // a password is never printed, also one given as a parameter (pg reads ?password=)
      [['export'], { DATABASE_URL: 'postgres://nobody:hunter1@127.0.0.1:1/x?password=hunter2&sslpassword=hunter3' },
        /cannot connect to PostgreSQL at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/x\?password=\*\*\*&sslpassword=\*\*\*: connection refused/],
      [['export'], { DATABASE_URL: db.url.replace(/\/[^/]*$/, '/rowtrail_no_such_db') }, /database "rowtrail_no_such_db" does not exist/],
      [['export'], { DATABASE_URL: undefined }, /pass --database-url <url> or set DATABASE_URL/],
      [['--schema', 'elsewhere', 'export'], { DATABASE_URL: db.url }, /Rowtrail is not installed in this database \(no schema "elsewhere"/],
      [['export', '--user', 'alice', '--user', 'bob'], { DATABASE_URL: db.url }, /--user was given more than once: give it once/],
      [['export', '--meta', 'tenant=a', '--meta', 'tenant=b'], { DATABASE_URL: db.url }, /--meta tenant was given more than once: give each key once/],
      [['export', '--format', 'json', '--format', 'ndjson'], { DATABASE_URL: db.url }, /--format was given more than once: give it once/],
      [['export', '--format', 'xml'], { DATABASE_URL: db.url }, /^rowtrail: option '--format <format>' argument 'xml' is invalid\. Allowed choices are json, ndjson\.\n/],
      [['exprot'], { DATABASE_URL: db.url }, /^rowtrail: unknown command 'exprot'\n\(Did you mean export\?\)/],
      [['export', '--tabel', 'account'], { DATABASE_URL: db.url }, /^rowtrail: unknown option '--tabel'\n\(Did you mean --table\?\)/],
      [['export', '--batch-size', '5', '--batch-size', '7'], { DATABASE_URL: db.url }, /--batch-size was given more than once: give it once/],
      [['--schema', 'rowtrail', '--schema', 'elsewhere', 'export'], { DATABASE_URL: db.url }, /--schema was given more than once: give it once/],
      [['--database-url', db.url, '--database-url', db.url, 'export'], {}, /--database-url was given more than once: give it once/],
      [['migration:generate', '-d', 'one.ts', '--data-source', 'two.ts'], { DATABASE_URL: db.url }, /--data-source was given more than once: give it once/], // (status and prune take several)
      [['serve', '--port', '4801', '--port', '4802'], { DATABASE_URL: db.url }, /--port was given more than once: give it once/],
      [['export', '--out', path.join(dir, 'missing', 'x.json')], { DATABASE_URL: db.url }, new RegExp(`^rowtrail: --out ${path.join(dir, 'missing', 'x.json')}: cannot write the export: the directory ${path.join(dir, 'missing')} does not exist\n$`)],
    ];
    // none writes anything: run four at a time (each is a process of its own, most of its time spent starting)
    const results: Array<Awaited<ReturnType<typeof runCli>>> = [];
    for (let i = 0; i < cases.length; i += 4) results.push(...await Promise.all(cases.slice(i, i + 4).map(([args, env]) => runCli(args, env))));
    for (const [i, [args, , message]] of cases.entries()) {
      const result = results[i];
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stderr, args.join(' ')).toMatch(/^rowtrail: /); // commander's own errors too (docs/cli.md)
      expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    }
  });

  it('names flags, not HTTP parameters, and refuses an --out that is a directory before exporting', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['export', '--from', '2024-02-01', '--to', '2024-01-01'], /^rowtrail: --from: must not be after --to\n$/],
      [['export', '--out', dir], new RegExp(`^rowtrail: --out ${dir}: is a directory: give the name of the file to write\n$`)],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { DATABASE_URL: db.url });
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
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

  it('chains exports through --watermark-file: each run writes what committed since the last complete one', async () => {
    const env = { DATABASE_URL: db.url };
    const file = path.join(dir, 'notes.watermark');
    const run = (out: string, extra: string[] = []) => runCli(['export', '--table', 'note', '--format', 'ndjson', '--watermark-file', file, '--out', out, ...extra], env);
    const slugsIn = (out: string) => parseExport(readFileSync(out, 'utf8'), 'ndjson').events.map((e) => (e.recordKey as { slug: string }).slug);

    const first = await run(path.join(dir, 'notes-1.ndjson')); // no file yet: everything
    expect(first.code).toBe(0);
    const { rows: [{ n }] } = await db.pool.query(`SELECT count(*)::int AS n FROM rowtrail.event WHERE table_name = 'public.note'`);
    expect(slugsIn(path.join(dir, 'notes-1.ndjson'))).toHaveLength(n);
    const stored = readFileSync(file, 'utf8');
    expect(stored).toBe(`${parseExport(readFileSync(path.join(dir, 'notes-1.ndjson'), 'utf8'), 'ndjson').watermark}\n`);

    await db.pool.query(`INSERT INTO note (slug, body) VALUES ('chained', 'x')`);
    // a run that fails (here: its --out cannot be written) leaves the watermark alone, so nothing is skipped
    const failed = await run(path.join(dir, 'missing-dir', 'notes.ndjson'));
    expect(failed.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(stored);
    expect((await run(path.join(dir, 'notes-2.ndjson'))).code).toBe(0);
    expect(slugsIn(path.join(dir, 'notes-2.ndjson'))).toEqual(['chained']);
    expect(readFileSync(file, 'utf8')).not.toBe(stored);

    const firstWatermark = stored.trim();
    const oneRecord = await runCli(['export', '--table', 'note', '--key', '{"slug":"chained"}', '--after', firstWatermark, '--format', 'ndjson'], env);
    expect(parseExport(oneRecord.stdout, 'ndjson')).toMatchObject({ selection: { kind: 'filter', filter: { tables: ['note'], recordKey: { slug: 'chained' }, after: firstWatermark } } });
    expect(parseExport(oneRecord.stdout, 'ndjson').events.map((e) => e.operation)).toEqual(['INSERT']);

    const nothing = await run(path.join(dir, 'notes-3.ndjson'));
    expect([nothing.code, parseExport(readFileSync(path.join(dir, 'notes-3.ndjson'), 'utf8'), 'ndjson').events]).toEqual([0, []]);
    expect(nothing.stderr).toContain('no events matched');
    expect(readdirSync(dir).filter((name) => name.startsWith('notes.watermark'))).toEqual(['notes.watermark']); // no lock or partial file left

    // one run of a chain at a time: a lock file beside it, taken over when the process that left it is gone
    writeFileSync(`${file}.lock`, `${process.pid}\n`);
    const locked = await run(path.join(dir, 'x.ndjson'));
    expect([locked.code, locked.stderr]).toEqual([1, expect.stringContaining(`another export of this chain is running (process ${process.pid} holds ${file}.lock)`)]);
    writeFileSync(`${file}.lock`, '999999999\n');
    expect((await run(path.join(dir, 'notes-4.ndjson'))).code).toBe(0);
    expect(existsSync(`${file}.lock`)).toBe(false);
    const toStdout = await runCli(['export', '--table', 'note', '--watermark-file', file], env);
    expect([toStdout.code, toStdout.stderr]).toEqual([1, expect.stringContaining('--watermark-file needs --out')]);

    const both = await run(path.join(dir, 'x.ndjson'), ['--after', '3:3:']);
    expect([both.code, both.stderr]).toEqual([1, expect.stringContaining('--after and --watermark-file both give the watermark')]);
    writeFileSync(file, 'not a watermark\n');
    const corrupt = await run(path.join(dir, 'x.ndjson'));
    expect([corrupt.code, corrupt.stderr]).toEqual([1, expect.stringContaining(`--watermark-file ${file}: is not a watermark`)]);
    expect(readFileSync(file, 'utf8')).toBe('not a watermark\n');
  }, 60_000);
});
