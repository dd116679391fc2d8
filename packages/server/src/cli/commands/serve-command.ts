import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { once } from '../once-option.js';
import { numberFlag } from '../number-flag.js';
import pg from 'pg';
import { DASHBOARD_DIST_DIR } from '../../package-paths.js';
import { requireInstalled, withPool } from './command-database.js';

/** The built dashboard: packages/ui/dist in this repository, the copy packed beside dist/ in an installed package. */
const DEFAULT_STATIC_DIR = DASHBOARD_DIST_DIR;

interface ServeFlags {
  port: string;
  host: string;
  token?: string;
  linkSecret?: string;
  staticDir?: string | false;
  maxExports: string;
  maxExportSeconds: string;
  statementTimeout: string;
}

const HOST_HINT = '127.0.0.1 (this machine only, the default) or 0.0.0.0 (every interface)';

/**
 * What to do when the server cannot listen on --port / --host, in the command's terms (Node's own message names neither
 * option: "listen EADDRINUSE: address already in use 127.0.0.1:4800"); undefined for any other error.
 */
export function listenErrorText(error: unknown, port: number, host: string): string | undefined {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  // only errors of listening (or of looking the host up): another EACCES (a file, say) is not about the port
  if (syscall !== 'listen' && syscall !== 'getaddrinfo') return undefined;
  switch (code) {
    case 'EADDRINUSE':
      return `serve: port ${port} on ${host} is in use (another rowtrail serve, or another server): choose another with --port, or --port 0 for a free one`;
    case 'EACCES':
      return port < 1024
        ? `serve: port ${port} on ${host}: permission denied (a port below 1024 needs root, or the CAP_NET_BIND_SERVICE capability): choose one from 1024 up with --port, or --port 0 for a free one`
        : `serve: port ${port} on ${host}: permission denied by the system: choose another with --port, or --port 0 for a free one`;
    case 'EADDRNOTAVAIL':
      return `serve: --host ${host} is not an address of this machine: give one of its own addresses, ${HOST_HINT}`;
    case 'ENOTFOUND':
      return `serve: --host ${host}: no such host name: give an address of this machine, ${HOST_HINT}`;
    default:
      return undefined;
  }
}

/** `rowtrail serve`: the HTTP API (and the dashboard when built), until SIGINT/SIGTERM/SIGHUP. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the history HTTP API (and the dashboard, when built) with bearer-token authentication')
    .option('--port <port>', 'port to listen on', once('--port'), '4800')
    .option('--host <host>', 'interface to listen on (0.0.0.0 for all)', once('--host'), '127.0.0.1')
    .option('--token <token>', 'API token (default: $ROWTRAIL_TOKEN, else a generated one, printed)', once('--token'))
    .option('--link-secret <secret>', 'secret signing export download links (default: $ROWTRAIL_LINK_SECRET, else random per run); give every server of one API the same', once('--link-secret'))
    .option('--static-dir <dir>', `dashboard files to serve (default: ${DEFAULT_STATIC_DIR} when it exists)`, once('--static-dir'))
    .option('--no-static-dir', 'serve the API only')
    .option('--max-exports <n>', 'export downloads streaming at once, each on its own connection (more get 503 + Retry-After)', once('--max-exports'), '4')
    .option('--max-export-seconds <n>', 'the longest an export download may stream (its snapshot holds back VACUUM); longer ones are cut off', once('--max-export-seconds'), '3600')
    .option('--statement-timeout <seconds>', 'the longest one API statement may run (exports are bounded by --max-export-seconds instead); 0 for none', once('--statement-timeout'), '60')
    .action(async (flags: ServeFlags, command: Command) => {
      const port = numberFlag('--port', flags.port, 0, 65535, 'a port number (0–65535)');
      const token = flags.token ?? (process.env.ROWTRAIL_TOKEN || undefined);
      if (token !== undefined && token.length < 8) throw new Error('--token (or $ROWTRAIL_TOKEN) must be at least 8 characters');
      const linkSecret = flags.linkSecret ?? (process.env.ROWTRAIL_LINK_SECRET || undefined);
      if (linkSecret !== undefined && linkSecret.length < 16) throw new Error('--link-secret (or $ROWTRAIL_LINK_SECRET) must be at least 16 characters');
      const maxExports = numberFlag('--max-exports', flags.maxExports, 1, 100, 'an integer from 1 to 100');
      const maxExportSeconds = numberFlag('--max-export-seconds', flags.maxExportSeconds, Number.MIN_VALUE, 2_147_483, 'a number of seconds above 0 (at most 2147483)', true);
      const statementTimeout = numberFlag('--statement-timeout', flags.statementTimeout, 0, 2_147_483, 'a number of seconds from 0 (none) to 2147483', true);
      const staticDir = flags.staticDir === false ? undefined : flags.staticDir ?? (existsSync(DEFAULT_STATIC_DIR) ? DEFAULT_STATIC_DIR : undefined);
      // said in the command's terms before connecting (the library's own check names its staticDir option)
      if (typeof flags.staticDir === 'string' && !(await import('../../http/dashboard-files.js')).hasDashboardBuild(flags.staticDir)) {
        throw new Error(`--static-dir ${flags.staticDir}: no index.html there (build the UI first: pnpm --filter @rowtrail/ui build), or serve the API only with --no-static-dir`);
      }
      await withPool(command, async (pool, { schema }) => {
        await requireInstalled(pool, schema);
        // Downloads hold a connection as long as their client reads: their own pool keeps the API's free.
        const exportPool = new pg.Pool({ ...pool.options, max: maxExports });
        exportPool.on('error', () => undefined);
        // one slow request (an activity chart over millions of events) cannot hold a connection for longer than this
        const apiPool = new pg.Pool({ ...pool.options, ...(statementTimeout > 0 ? { statement_timeout: Math.round(statementTimeout * 1000) } : {}) });
        apiPool.on('error', () => undefined);
        const endPools = () => Promise.all([exportPool.end(), apiPool.end()]);
        const { startServer } = await import('../../http/standalone-server.js'); // the HTTP stack only for serve
        const server = await startServer({ pool: apiPool, exportPool, maxConcurrentExports: maxExports, maxExportSeconds, port, host: flags.host, token, linkSecret, schema, staticDir })
          .catch(async (error: unknown) => {
            await endPools();
            const text = listenErrorText(error, port, flags.host);
            throw text === undefined ? error : new Error(text, { cause: error });
          });
        process.stdout.write(`Rowtrail API listening on ${server.url}/api (OpenAPI: ${server.url}/api/openapi.json)\n`);
        if (staticDir) {
          // A configured token is the operator's secret: never echo it (logs keep stdout); only a generated one goes into the link.
          process.stdout.write(server.tokenGenerated
            ? `Dashboard: ${server.url}/#token=${encodeURIComponent(server.token)}\n`
            : `Dashboard: ${server.url}/ (sign in with the configured token)\n`);
        }
        if (server.tokenGenerated) {
          process.stdout.write(`No token configured (--token or $ROWTRAIL_TOKEN); generated one for this run:\n  ${server.token}\n`);
        }
        process.stdout.write(`Use: curl -H "Authorization: Bearer <token>" ${server.url}/api/tables\n`);
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop);
        });
        await server.close();
        await endPools();
      });
    });
}
