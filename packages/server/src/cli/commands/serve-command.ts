import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { startServer } from '../../http/standalone-server.js';
import { requireInstalled, withPool } from './command-database.js';

/** Where the dashboard's build lands in this repository (packages/ui/dist). */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../../../ui/dist', import.meta.url));

interface ServeFlags {
  port: string;
  host: string;
  token?: string;
  staticDir?: string | false;
}

/** `rowtrail serve`: the HTTP API (and the dashboard when built), until SIGINT/SIGTERM. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the history HTTP API (and the dashboard, when built) with bearer-token authentication')
    .option('--port <port>', 'port to listen on', '4800')
    .option('--host <host>', 'interface to listen on (0.0.0.0 for all)', '127.0.0.1')
    .option('--token <token>', 'API token (default: $ROWTRAIL_TOKEN, else a generated one, printed)')
    .option('--static-dir <dir>', `dashboard files to serve (default: ${DEFAULT_STATIC_DIR} when it exists)`)
    .option('--no-static-dir', 'serve the API only')
    .action(async (flags: ServeFlags, command: Command) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (0–65535), got ${flags.port}`);
      const token = flags.token ?? (process.env.ROWTRAIL_TOKEN || undefined);
      if (token !== undefined && token.length < 8) throw new Error('--token (or $ROWTRAIL_TOKEN) must be at least 8 characters');
      const staticDir = flags.staticDir === false ? undefined : flags.staticDir ?? (existsSync(DEFAULT_STATIC_DIR) ? DEFAULT_STATIC_DIR : undefined);
      await withPool(command, async (pool, { schema }) => {
        await requireInstalled(pool, schema);
        const server = await startServer({ pool, port, host: flags.host, token, schema, staticDir });
        process.stdout.write(`Rowtrail API listening on ${server.url}/api (OpenAPI: ${server.url}/api/openapi.json)\n`);
        if (staticDir) process.stdout.write(`Dashboard: ${server.url}/#token=${encodeURIComponent(server.token)}\n`);
        if (server.tokenGenerated) {
          process.stdout.write(`No token configured (--token or $ROWTRAIL_TOKEN); generated one for this run:\n  ${server.token}\n`);
        }
        process.stdout.write(`Use: curl -H "Authorization: Bearer <token>" ${server.url}/api/tables\n`);
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await server.close();
      });
    });
}
