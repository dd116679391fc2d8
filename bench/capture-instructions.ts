import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createContext } from '../packages/server/src/context/request-context.js';
import { CLASSIC_REQUEST_TABLE, REQUEST_TABLES, setUpRequestTables } from './request-write-bench.js';

/**
 * Instructions the server executes per single-row UPDATE, counted by valgrind's callgrind in a
 * single-user backend. Unlike time, a count does not depend on what else the machine is doing: the
 * same binaries, data and statements give the same count, so it shows small differences between
 * capture variants that throughput slices on a shared machine cannot.
 */
export interface CaptureInstructions {
  /** `postgres --version` of the binaries counted. */
  postgres: string;
  /** Statements of each variant's shorter run, and how many more its longer run has (the count is the difference of the two, divided by this). */
  baseline: number;
  statements: number;
  /** Instructions per statement (one UPDATE, its own transaction, commit included). */
  perStatement: Record<InstructionVariant, number>;
  /** What the statements left behind, checked after the longer run of each variant. */
  checks: Record<InstructionVariant, string>;
}
export type CaptureInstructionsResult = CaptureInstructions | { unavailable: string };

export const INSTRUCTION_VARIANTS = [
  'untracked', 'classic', 'emptyCapture', 'historyInsertOnly', 'trackedKnownContext', 'tracked', 'trackedWithoutHistoryIndexes', 'trackedWithoutContextIndexes', 'trackedTimeOnlyBrin',
] as const;
export type InstructionVariant = (typeof INSTRUCTION_VARIANTS)[number];

interface VariantSpec {
  table: string;
  /** The context comment of each UPDATE: none, the same one for all, or a new one each. */
  context: 'none' | 'known' | 'new';
  /** Run first (in both runs of the variant, so its cost cancels out); one line: a line is a statement in single-user mode. */
  setup?: string | ((capture: UpdateCapture) => string);
}

/** The tracked table's update capture function as installed, and the statement its single-row path inserts the history row with. */
interface UpdateCapture {
  name: string;
  singleRowInsert: string;
}

const UPDATE_CAPTURE = `rowtrail.${REQUEST_TABLES.tracked}_history_update`;
/** The update capture replaced by another body, for the variants that break its cost down (they only measure). */
const replaceUpdateCapture = (capture: UpdateCapture, body: string) =>
  `CREATE OR REPLACE FUNCTION ${capture.name}() RETURNS trigger LANGUAGE plpgsql AS $rowtrail_bench$ DECLARE rowtrail_ctx uuid;${body.includes('rowtrail_at') ? ' rowtrail_at timestamptz := pg_catalog.clock_timestamp();' : ''} BEGIN ${body} RETURN NULL; END $rowtrail_bench$`;

const VARIANTS: Record<InstructionVariant, VariantSpec> = {
  untracked: { table: REQUEST_TABLES.untracked, context: 'none' },
  classic: { table: CLASSIC_REQUEST_TABLE, context: 'none' },
  // What the capture's parts cost: the statement trigger's call with its transition tables (and the key-change
  // trigger's WHEN check), then that plus the single-row INSERT of the history row, without context id, row count and context row.
  emptyCapture: { table: REQUEST_TABLES.tracked, context: 'known', setup: (capture) => replaceUpdateCapture(capture, '') },
  historyInsertOnly: { table: REQUEST_TABLES.tracked, context: 'known', setup: (capture) => replaceUpdateCapture(capture, capture.singleRowInsert) },
  trackedKnownContext: { table: REQUEST_TABLES.tracked, context: 'known' },
  tracked: { table: REQUEST_TABLES.tracked, context: 'new' },
  // What the indexes cost a single-row write (they stay in the product: reads need them).
  trackedWithoutHistoryIndexes: {
    table: REQUEST_TABLES.tracked, context: 'new',
    setup: `DO $$ DECLARE i regclass; BEGIN FOR i IN SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'rowtrail.${REQUEST_TABLES.tracked}_history'::regclass LOOP EXECUTE 'DROP INDEX ' || i; END LOOP; END $$`,
  },
  trackedWithoutContextIndexes: { table: REQUEST_TABLES.tracked, context: 'new', setup: 'DROP INDEX rowtrail.context_id_idx, rowtrail.context_user_idx, rowtrail.context_request_idx' },
  // What the transaction id column of the history table's BRIN index (core version 11, for chained exports) costs:
  // the time-only BRIN index history tables had before, in its place.
  trackedTimeOnlyBrin: {
    table: REQUEST_TABLES.tracked, context: 'new',
    setup: `DO $$ BEGIN DROP INDEX rowtrail.${REQUEST_TABLES.tracked}_history_created_at_txid_idx; CREATE INDEX ${REQUEST_TABLES.tracked}_history_created_at_idx ON rowtrail.${REQUEST_TABLES.tracked}_history USING brin (rowtrail_created_at); END $$`,
  },
};

const ROLE = 'rowtrail_bench';
const DATABASE = 'bench';

interface RunAs { uid?: number; gid?: number; name: string }

/** postgres refuses to run as root: then run it as the system's postgres user. */
function serverUser(): RunAs {
  if (process.getuid?.() !== 0) return { name: os.userInfo().username };
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, and there is no "postgres" system user to run a PostgreSQL server as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid), name: 'postgres' };
}

function run(command: string, args: string[], user: RunAs, input?: string): { stdout: string; stderr: string } {
  const result = spawnSync(command, args, { uid: user.uid, gid: user.gid, encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}): ${result.stderr.trim().slice(-2000)}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

/**
 * The directory of the benchmark server's own binaries, found through its backend's process, when the server
 * runs on this machine and the binaries there are of its major version; otherwise why not.
 */
async function serverBinDir(url: string): Promise<{ binDir: string; version: string } | { unavailable: string }> {
  // read while the backend runs: its process ends with the connection
  const { binDir, major } = await withClient(url, async (c) => {
    const row = (await c.query(`SELECT pg_backend_pid() AS pid, current_setting('server_version_num')::int / 10000 AS major`)).rows[0] as { pid: number; major: number };
    try {
      return { binDir: path.dirname(realpathSync(`/proc/${row.pid}/exe`)), major: row.major };
    } catch {
      return { binDir: undefined, major: row.major };
    }
  });
  if (!binDir) return { unavailable: 'the benchmark server\'s binaries were not found: it runs on another machine, or this user may not read its backend\'s /proc/<pid>/exe' };
  if (!['postgres', 'initdb', 'pg_ctl'].every((b) => existsSync(path.join(binDir, b)))) return { unavailable: `no initdb and pg_ctl beside the server's binary in ${binDir}` };
  const version = (spawnSync(path.join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout ?? '').trim();
  if (Number(/(\d+)\.\d+/.exec(version)?.[1]) !== major) return { unavailable: `${binDir}/postgres is "${version}", not the benchmark server's major version ${major}` };
  return { binDir, version };
}

/** Runs `fn` on a new connection, always closed afterwards (an error of the connection itself is reported by the query that meets it). */
async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One UPDATE per line (a line is a statement in single-user mode), each on another row, then the checks. */
function statementFile(variant: InstructionVariant, count: number, rows: number, capture: UpdateCapture): string {
  const spec = VARIANTS[variant];
  const known = createContext({ user: 'bench-user', requestId: 'known', method: 'PUT', url: '/items' }).comment;
  const setup = typeof spec.setup === 'function' ? spec.setup(capture) : spec.setup;
  const lines = setup ? [setup] : [];
  for (let i = 0; i < count; i++) {
    const comment = spec.context === 'new' ? createContext({ user: 'bench-user', requestId: `r-${i}`, method: 'PUT', url: '/items' }).comment
      : spec.context === 'known' ? known : '';
    lines.push(`${comment}UPDATE ${spec.table} SET quantity = quantity + 1, updated_at = now() WHERE id = ${1 + ((i * 7919) % rows)}`);
  }
  return lines.join('\n') + '\n';
}

/** The installed update capture, and its single-row INSERT on one line (so that a single-user backend reads it as one statement). */
async function readUpdateCapture(url: string): Promise<UpdateCapture> {
  const definition = await withClient(url, async (c) => (await c.query(`SELECT pg_get_functiondef('${UPDATE_CAPTURE}'::regproc) AS d`)).rows[0].d as string);
  const insert = /IF rowtrail_rows = 1 AND rowtrail_key_change_from IS NULL THEN\s+(INSERT INTO[\s\S]*?;)\s+IF FOUND THEN/.exec(definition)?.[1];
  if (!insert || insert.includes('--')) throw new Error(`the single-row INSERT of ${UPDATE_CAPTURE} was not found in its definition (did the capture DDL change?):\n${definition}`);
  return { name: UPDATE_CAPTURE, singleRowInsert: insert.replace(/\s*\n\s*/g, ' ') };
}

const CHECK_SQL = `SELECT (SELECT count(*) FROM rowtrail.${REQUEST_TABLES.tracked}_history WHERE rowtrail_operation = 'UPDATE') AS history_rows, (SELECT count(*) FROM rowtrail.context) AS context_rows, (SELECT count(*) FROM audit_log) AS audit_rows`;

/** Runs `file` through a single-user backend under callgrind; returns the instructions counted and what it printed. */
function countInstructions(binDir: string, data: string, file: string, user: RunAs): Promise<{ instructions: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const input = openSync(file, 'r');
    // exit_on_error: a single-user backend otherwise reports a failed statement and goes on, exiting 0
    const child = spawn('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', path.join(binDir, 'postgres'), '--single', '-D', data,
      '-c', 'fsync=off', '-c', 'autovacuum=off', '-c', 'exit_on_error=on', DATABASE], { uid: user.uid, gid: user.gid, stdio: [input, 'pipe', 'pipe'] });
    closeSync(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const failed = /\b(ERROR|FATAL|PANIC):.*$/m.exec(stderr);
      const collected = /Collected : (\d+)/.exec(stderr);
      if (code !== 0 || failed || !collected) reject(new Error(`counting instructions of ${path.basename(file)} failed (exit ${code}): ${failed?.[0] ?? stderr.trim().slice(-1000)}`));
      else resolve({ instructions: Number(collected[1]), stdout });
    });
  });
}

/**
 * Counts the instructions of single-row UPDATEs untracked, with the classic audit trigger, and
 * tracked (in a context the session already stored, in a new context each, and the latter without
 * the history table's or the context table's indexes): a scratch cluster of the benchmark server's
 * own binaries holds the request tables; every run starts from the same copy of it, once with a
 * tenth of `statements` and once with `statements` more.
 */
export async function measureCaptureInstructions(url: string, rows: number, statements: number, log: (m: string) => void): Promise<CaptureInstructionsResult> {
  if (spawnSync('valgrind', ['--version']).status !== 0) return { unavailable: 'valgrind is not installed' };
  const found = await serverBinDir(url);
  if ('unavailable' in found) return found;
  const { binDir, version } = found;
  const user = serverUser();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rowtrail-instructions-'));
  const pristine = path.join(dir, 'pristine');
  const data = path.join(dir, 'data');
  try {
    if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!);
    run(path.join(binDir, 'initdb'), ['-D', pristine, '-U', ROLE, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], user);
    // A socket in the scratch folder only (set in the configuration, not through pg_ctl -o, which a shell reads)
    appendFileSync(path.join(pristine, 'postgresql.conf'), `\nlisten_addresses = ''\nunix_socket_directories = '${dir.replace(/'/g, "''")}'\nport = 5432\n`);
    run(path.join(binDir, 'pg_ctl'), ['-D', pristine, '-w', '-l', path.join(dir, 'server.log'), 'start'], user);
    let setupFailed = true;
    let capture: UpdateCapture | undefined;
    try {
      const admin = `postgres://${ROLE}@localhost:5432/postgres?host=${encodeURIComponent(dir)}`;
      await withClient(admin, (c) => c.query(`CREATE DATABASE ${DATABASE}`));
      const benchUrl = admin.replace('/postgres?', `/${DATABASE}?`);
      await setUpRequestTables(benchUrl, rows);
      capture = await readUpdateCapture(benchUrl);
      await withClient(benchUrl, (c) => c.query('VACUUM FREEZE'));
      setupFailed = false;
    } finally {
      try {
        run(path.join(binDir, 'pg_ctl'), ['-D', pristine, '-w', '-m', 'fast', 'stop'], user);
      } catch (error) {
        if (!setupFailed) throw error; // else the setup's own error is the one to report
      }
    }
    const baseline = Math.max(5, Math.round(statements / 10));
    const perStatement = {} as Record<InstructionVariant, number>;
    const checks = {} as Record<InstructionVariant, string>;
    for (const variant of INSTRUCTION_VARIANTS) {
      const counts: number[] = [];
      for (const count of [baseline, baseline + statements]) {
        const file = path.join(dir, `${variant}-${count}.sql`);
        writeFileSync(file, statementFile(variant, count, rows, capture!) + `${CHECK_SQL}\n`);
        if (user.uid !== undefined) chownSync(file, user.uid, user.gid!);
        rmSync(data, { recursive: true, force: true });
        run('cp', ['-a', pristine, data], user);
        const { instructions, stdout } = await countInstructions(binDir, data, file, user);
        counts.push(instructions);
        const value = (name: string) => Number(new RegExp(`${name} = "(\\d+)"`).exec(stdout)?.[1] ?? NaN);
        checks[variant] = `${count} UPDATEs: ${value('history_rows')} history rows, ${value('context_rows')} context rows, ${value('audit_rows')} audit rows`;
      }
      perStatement[variant] = Math.round((counts[1] - counts[0]) / statements);
      log(`instructions per UPDATE, ${variant}: ${perStatement[variant]} (${checks[variant]})`);
    }
    return { postgres: version, baseline, statements, perStatement, checks };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
