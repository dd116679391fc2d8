// An export to --out stopped by a signal (Ctrl-C, a cron or supervisor timeout) leaves neither its .partial file nor
// its chain's lock behind; the watermark file stays as it was, so the next run exports the same events again.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../install/installer.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { idValueSpec } from '../../testing/tracked-spec.js';

// the installed command's own entry point, which runs the CLI in its process (signals reach it, its exit code is the CLI's)
const BIN = fileURLToPath(new URL('../../../bin/rowtrail.js', import.meta.url));

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('cli_export_interrupt');
  await db.pool.query(`CREATE TABLE big (id integer PRIMARY KEY, v text)`);
  await install(db.pool, [idValueSpec('big')]);
  await db.pool.query(`INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g`);
});
afterAll(() => db.drop());

async function interruptedExport(signal: 'SIGINT' | 'SIGTERM', dir: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, '--database-url', db.url, 'export', '--table', 'big', '--format', 'ndjson', '--batch-size', '1',
    '--watermark-file', path.join(dir, 'chain.watermark'), '--out', path.join(dir, 'big.ndjson')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  // wait until the export is writing its .partial file, then stop it
  const deadline = Date.now() + 30_000;
  for (;;) {
    const partial = readdirSync(dir).find((f) => f.endsWith('.partial'));
    if (partial && statSync(path.join(dir, partial)).size > 0) break;
    if (Date.now() > deadline) throw new Error(`the export never started writing: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(readdirSync(dir)).toContain('chain.watermark.lock');
  child.kill(signal);
  return { code: await closed, stderr };
}

describe('rowtrail export --out, interrupted', () => {
  it.each([['SIGTERM', 143], ['SIGINT', 130]] as const)('by %s removes its partial file and its lock, and keeps the watermark file', async (signal, code) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rowtrail-interrupt-'));
    writeFileSync(path.join(dir, 'chain.watermark'), '3:3:\n'); // a chain whose last export saw nothing yet
    const result = await interruptedExport(signal, dir);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(new RegExp(`rowtrail: interrupted \\(${signal}\\); removed .*big\\.ndjson\\.\\d+-[0-9a-f]+\\.partial`));
    expect(readdirSync(dir)).toEqual(['chain.watermark']);
    expect(readFileSync(path.join(dir, 'chain.watermark'), 'utf8')).toBe('3:3:\n');
  });
});
