import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureTables, writeScriptedHistory } from '../../query/history-fixture.test-support.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { runCli, spawnCli } from './run-cli.test-support.js';
import { listenErrorText } from './serve-command.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('cli_serve');
  await createFixtureTables(db.pool);
  await writeScriptedHistory(db.pool);
});
afterAll(() => db.drop());

/** Starts `rowtrail serve --port 0`, waits for its banner, returns it with the child. */
async function serve(args: string[], env: Record<string, string | undefined>, staticDir?: string) {
  const child = spawnCli(['serve', '--port', '0', ...(staticDir ? ['--static-dir', staticDir] : ['--no-static-dir']), ...args], { DATABASE_URL: db.url, ...env });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  await expect.poll(() => out.includes('Use: curl') || child.exitCode !== null, { timeout: 20_000 }).toBe(true);
  const url = /listening on (http:\/\/\S+)\/api/.exec(out)?.[1];
  return { child, out, err: () => err, url };
}

describe('rowtrail serve', () => {
  it('generates and prints a token when none is configured, and requires it', async () => {
    const { child, out, url } = await serve([], { ROWTRAIL_TOKEN: undefined });
    try {
      const token = /generated one for this run:\n\s+(\S+)/.exec(out)?.[1];
      expect(token).toBeTruthy();
      expect((await fetch(`${url}/api/tables`)).status).toBe(401);
      const response = await fetch(`${url}/api/tables`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect((await response.json()).tables).toHaveLength(3);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'close');
    }
  });

  it('uses $ROWTRAIL_TOKEN', async () => {
    const { child, out, url } = await serve([], { ROWTRAIL_TOKEN: 'env-token-abcdef' });
    try {
      expect(out).not.toContain('generated');
      expect((await fetch(`${url}/api/events?limit=1`, { headers: { authorization: 'Bearer env-token-abcdef' } })).status).toBe(200);
      expect((await fetch(`${url}/api/events?limit=1`, { headers: { authorization: 'Bearer wrong-token-xyz' } })).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      expect((await once(child, 'close'))[0]).toBe(0); // graceful shutdown
    }
  });

  it('names --static-dir when the directory holds no dashboard', async () => {
    const { child, err } = await serve(['--token', 'some-token-123'], {}, '/nonexistent/ui');
    if (child.exitCode === null) await once(child, 'close');
    expect(child.exitCode).toBe(1);
    expect(err()).toMatch(/^rowtrail: --static-dir \/nonexistent\/ui: no index\.html there \(build the UI first: pnpm --filter @rowtrail\/ui build\), or serve the API only with --no-static-dir\n/);
  });

  it('fails clearly when Rowtrail is not installed', async () => {
    const empty = await createTestDatabase('cli_serve_empty');
    try {
      const { child, err } = await serve(['--token', 'some-token-123'], { DATABASE_URL: empty.url });
      if (child.exitCode === null) await once(child, 'close');
      expect(child.exitCode).toBe(1);
      expect(err()).toMatch(/Rowtrail is not installed in this database/);
    } finally {
      await empty.drop();
    }
  });

  it('puts only a generated token into the dashboard link, never a configured one', async () => {
    const dashboard = mkdtempSync(path.join(tmpdir(), 'rowtrail-serve-ui-'));
    writeFileSync(path.join(dashboard, 'index.html'), '<!doctype html><title>Rowtrail</title>');
    const configured = await serve([], { ROWTRAIL_TOKEN: 'operator-secret-token-42' }, dashboard);
    try {
      expect(configured.out).toMatch(/^Dashboard: http:\/\/\S+\/ /m);
      expect(configured.out).not.toContain('operator-secret-token-42');
      expect(configured.out).not.toContain('#token=');
    } finally {
      configured.child.kill('SIGTERM');
      await once(configured.child, 'close');
    }
    const generated = await serve([], { ROWTRAIL_TOKEN: undefined }, dashboard);
    try {
      const token = /generated one for this run:\n\s+(\S+)/.exec(generated.out)?.[1];
      expect(token).toBeTruthy();
      expect(generated.out).toContain(`/#token=${encodeURIComponent(token!)}`);
    } finally {
      generated.child.kill('SIGTERM');
      await once(generated.child, 'close');
    }
  });

  it('stops the server when the bin/rowtrail.js wrapper gets SIGTERM (no process left behind)', async () => {
    const bin = fileURLToPath(new URL('../../../bin/rowtrail.js', import.meta.url));
    const wrapper = spawn(process.execPath, [bin, 'serve', '--port', '0', '--no-static-dir'], {
      env: { ...process.env, DATABASE_URL: db.url, ROWTRAIL_TOKEN: 'wrapper-token-123' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    wrapper.stdout!.on('data', (d) => (out += d));
    try {
      await expect.poll(() => out.includes('Use: curl') || wrapper.exitCode !== null, { timeout: 20_000 }).toBe(true);
      const url = /listening on (http:\/\/\S+)\/api/.exec(out)![1];
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
      const closed = once(wrapper, 'close');
      wrapper.kill('SIGTERM');
      expect((await closed)[0]).toBe(0); // the server shut down gracefully and the exit code came through
      await expect(fetch(`${url}/api/health`)).rejects.toThrow(); // nothing listens on the port any more
      const leftovers = await db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'rowtrail-cli'`);
      expect(leftovers.rows[0].n).toBe(0);
    } finally {
      if (wrapper.exitCode === null) wrapper.kill('SIGKILL');
    }
  });

  it('says what to do when the port is in use, or --host is no address of this machine', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve)); // any free port, held for the test
    const { port } = taken.address() as AddressInfo;
    try {
      const inUse = await runCli(['serve', '--port', String(port), '--no-static-dir', '--token', 'some-token-123'], { DATABASE_URL: db.url });
      expect([inUse.code, inUse.stdout, inUse.stderr]).toEqual([1, '',
        `rowtrail: serve: port ${port} on 127.0.0.1 is in use (another rowtrail serve, or another server): choose another with --port, or --port 0 for a free one\n`]);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    // 192.0.2.1: TEST-NET-1 (RFC 5737), never an address of this machine
    const elsewhere = await runCli(['serve', '--port', '0', '--host', '192.0.2.1', '--no-static-dir', '--token', 'some-token-123'], { DATABASE_URL: db.url });
    expect([elsewhere.code, elsewhere.stderr]).toEqual([1,
      'rowtrail: serve: --host 192.0.2.1 is not an address of this machine: give one of its own addresses, 127.0.0.1 (this machine only, the default) or 0.0.0.0 (every interface)\n']);
  });
});

describe('rowtrail serve --statement-timeout', () => {
  it('ends an API statement that runs longer, answering 503 timeout, and keeps serving', async () => {
    // the registry locked by another session: the API's read of it waits, as a slow statement runs
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    const { child, url } = await serve(['--statement-timeout', '1'], { ROWTRAIL_TOKEN: 'timeout-token-123' });
    const headers = { authorization: 'Bearer timeout-token-123' };
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE rowtrail.tracked_table IN ACCESS EXCLUSIVE MODE');
      const response = await fetch(`${url}/api/tables`, { headers });
      expect(response.status).toBe(503);
      expect((await response.json()).error).toMatchObject({ code: 'timeout', message: expect.stringContaining('statement timeout') });
      await locker.query('ROLLBACK');
      expect((await fetch(`${url}/api/tables`, { headers })).status).toBe(200);
    } finally {
      await locker.end();
      child.kill('SIGTERM');
      await once(child, 'close');
    }
  });

  it('answers 503 cancelled, not timeout, for a statement an administrator cancelled', async () => {
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    const { child, url } = await serve(['--statement-timeout', '0'], { ROWTRAIL_TOKEN: 'timeout-token-123' });
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE rowtrail.tracked_table IN ACCESS EXCLUSIVE MODE');
      const answer = fetch(`${url}/api/tables`, { headers: { authorization: 'Bearer timeout-token-123' } });
      const waiting = async () => (await db.pool.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'rowtrail-cli' AND wait_event_type = 'Lock'`)).rows;
      await expect.poll(async () => (await waiting()).length, { timeout: 10_000 }).toBe(1);
      await db.pool.query('SELECT pg_cancel_backend($1)', [(await waiting())[0].pid]);
      const response = await answer;
      expect([response.status, (await response.json()).error.code]).toEqual([503, 'cancelled']);
    } finally {
      await locker.end();
      child.kill('SIGTERM');
      await once(child, 'close');
    }
  });

  it('refuses a timeout that is not a number of seconds', async () => {
    const result = await runCli(['serve', '--port', '0', '--no-static-dir', '--statement-timeout', 'soon'], { DATABASE_URL: db.url });
    expect([result.code, result.stderr]).toEqual([1, 'rowtrail: --statement-timeout must be a number of seconds from 0 (none) to 2147483, got soon\n']);
  });
});

describe('listenErrorText', () => {
  const error = (code: string, syscall = 'listen') => Object.assign(new Error(`${syscall} ${code}`), { code, syscall });
  it('names the port, the host and what to do for each error listening can end in, and nothing for other errors', () => {
    expect(listenErrorText(error('EADDRINUSE'), 4750, '0.0.0.0')).toBe('serve: port 4750 on 0.0.0.0 is in use (another rowtrail serve, or another server): choose another with --port, or --port 0 for a free one');
    expect(listenErrorText(error('EACCES'), 80, '127.0.0.1')).toBe('serve: port 80 on 127.0.0.1: permission denied (a port below 1024 needs root, or the CAP_NET_BIND_SERVICE capability): choose one from 1024 up with --port, or --port 0 for a free one');
    expect(listenErrorText(error('EACCES'), 4750, '127.0.0.1')).toBe('serve: port 4750 on 127.0.0.1: permission denied by the system: choose another with --port, or --port 0 for a free one');
    expect(listenErrorText(error('EADDRNOTAVAIL'), 4750, '10.1.2.3')).toBe('serve: --host 10.1.2.3 is not an address of this machine: give one of its own addresses, 127.0.0.1 (this machine only, the default) or 0.0.0.0 (every interface)');
    expect(listenErrorText(error('ENOTFOUND', 'getaddrinfo'), 4750, 'nosuch.invalid')).toBe('serve: --host nosuch.invalid: no such host name: give an address of this machine, 127.0.0.1 (this machine only, the default) or 0.0.0.0 (every interface)');
    expect(listenErrorText(error('ECONNRESET'), 4750, '127.0.0.1')).toBeUndefined();
    expect(listenErrorText(new Error('other'), 4750, '127.0.0.1')).toBeUndefined();
    expect(listenErrorText(error('EACCES', 'open'), 4750, '127.0.0.1')).toBeUndefined(); // a file, not the port
  });
});
