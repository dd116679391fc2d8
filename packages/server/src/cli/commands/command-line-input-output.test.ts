// The command line's own edges: output to a reader that stops early, flags read strictly, and advice that names the
// schema it was given, so that following it acts on the same installation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { runCli, spawnCli } from './run-cli.test-support.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('cli_input_output');
});
afterAll(() => db.drop());

describe('output to a pipe its reader closes early (| head -1)', () => {
  it('ends quietly, with the exit code of the command, for every command (not only export)', async () => {
    expect((await runCli(['install'], { DATABASE_URL: db.url })).code).toBe(0);
    for (const args of [['status'], ['install'], ['status', '--json']]) {
      const child = spawnCli(args, { DATABASE_URL: db.url });
      child.stdout!.destroy(); // the reader is gone before the command writes its first line
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect([code, stderr], args.join(' ')).toEqual([0, '']);
    }
  });
});

describe('numeric flags, read strictly', () => {
  /** Runs the CLI, ending it if it starts serving (an accepted bad --port would listen for ever). */
  const runBriefly = async (args: string[]) => {
    const child = spawnCli(args, { DATABASE_URL: db.url, ROWTRAIL_TOKEN: 'token-of-the-test' });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
      if (stdout.includes('listening on')) child.kill('SIGTERM');
    });
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    return { code, stdout, stderr };
  };

  it('refuses an empty value (an unset "$PORT"), an exponent, a hexadecimal number, naming the flag', async () => {
    const cases: Array<[string[], string]> = [
      [['serve', '--no-static-dir', '--port', ''], 'rowtrail: --port must be a port number (0–65535), got ""\n'],
      [['serve', '--no-static-dir', '--port', '0x10'], 'rowtrail: --port must be a port number (0–65535), got 0x10\n'],
      [['serve', '--no-static-dir', '--port', '0', '--max-exports', '4.0'], 'rowtrail: --max-exports must be an integer from 1 to 100, got 4.0\n'],
      [['serve', '--no-static-dir', '--port', '0', '--statement-timeout', ''], 'rowtrail: --statement-timeout must be a number of seconds from 0 (none) to 2147483, got ""\n'],
      [['serve', '--no-static-dir', '--port', '0', '--max-export-seconds', '1e3'], 'rowtrail: --max-export-seconds must be a number of seconds above 0 (at most 2147483), got 1e3\n'],
      [['export', '--batch-size', '1e3'], 'rowtrail: --batch-size must be an integer from 1 to 100000, got 1e3\n'],
      [['export', '--batch-size', ' 5'], 'rowtrail: --batch-size must be an integer from 1 to 100000, got " 5"\n'],
    ];
    for (const [args, message] of cases) {
      const result = await runBriefly(args);
      expect([result.code, result.stderr], args.join(' ')).toEqual([1, message]);
    }
  });

  it('still takes plain numbers, and seconds with a fraction', async () => {
    const served = await runBriefly(['serve', '--no-static-dir', '--port', '0', '--max-exports', '2', '--statement-timeout', '1.5', '--max-export-seconds', '90']);
    expect([served.stderr, served.stdout]).toEqual(['', expect.stringContaining('listening on')]);
    const exported = await runCli(['export', '--batch-size', '10', '--format', 'ndjson'], { DATABASE_URL: db.url });
    expect([exported.code, exported.stdout]).toEqual([0, expect.stringContaining('"rowtrail.diff-export"')]);
  });
});

describe('--schema', () => {
  it('refuses a name longer than PostgreSQL keeps (63 bytes), before connecting', async () => {
    const long = 'a'.repeat(64);
    const result = await runCli(['--schema', long, 'status'], { DATABASE_URL: db.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^rowtrail: option '--schema <name>' argument '${long}' is invalid\\. --schema ${long}: a schema name is at most 63 bytes in PostgreSQL \\(this one has 64\\): give a shorter one\\n`));
    // 63 bytes of multibyte letters are fine, one more byte is not
    expect((await runCli(['--schema', 'ä'.repeat(32), 'status'], { DATABASE_URL: db.url })).stderr).toContain('(this one has 64)');
    const fits = await runCli(['--schema', `${'a'.repeat(63)}`, 'status'], { DATABASE_URL: db.url });
    expect([fits.code, fits.stderr]).toEqual([0, '']);
  });
});
