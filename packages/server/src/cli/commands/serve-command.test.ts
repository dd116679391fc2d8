import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureTables, writeScriptedHistory } from '../../query/history-fixture.test-support.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { spawnCli } from './run-cli.test-support.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('cli_serve');
  await createFixtureTables(db.pool);
  await writeScriptedHistory(db.pool);
});
afterAll(() => db.drop());

/** Starts `rowtrail serve --port 0`, waits for its banner, returns it with the child. */
async function serve(args: string[], env: Record<string, string | undefined>) {
  const child = spawnCli(['serve', '--port', '0', '--no-static-dir', ...args], { DATABASE_URL: db.url, ...env });
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
      expect((await response.json()).tables).toHaveLength(2);
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
});
