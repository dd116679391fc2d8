import pg from 'pg';
import { freePort } from '../database/free-port.js';
import { startServer } from '../http/standalone-server.js';
import { ensureDashboardBuild } from './dashboard-build.js';
import type { DemoOptions } from './demo-options.js';

export interface DemoServer { url: string; token: string; close(): Promise<void> }

/**
 * Serves the HTTP API and the dashboard for the demo database on one port, and prints the link to open. `dashboardDir`:
 * a dashboard build to serve instead of this repository's (built first when its sources changed).
 */
export async function serveDemo(databaseUrl: string, options: DemoOptions, write: (line: string) => void, dashboardDir?: string): Promise<DemoServer> {
  const staticDir = dashboardDir ?? await ensureDashboardBuild(write);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, application_name: 'rowtrail-dashboard' });
  let closing = false;
  // An idle connection can drop (on Ctrl-C the terminal signals the embedded PostgreSQL too): never crash on it.
  pool.on('error', (error) => {
    if (!closing) write(`demo: database connection lost (${error.message}); it will reconnect on the next request`);
  });
  try {
    const port = options.strictPort || options.port === 0 ? options.port : await freePort(options.port, 20);
    const server = await startServer({ pool, port, host: options.host, token: options.token, staticDir });
    // A configured token is the operator's secret: never echoed (terminals and CI logs keep what is written), as
    // `rowtrail serve` never echoes it; only a generated one goes into the link.
    if (server.tokenGenerated) {
      write(`Rowtrail dashboard: ${server.url}/#token=${encodeURIComponent(server.token)}`);
      write(`  (API: ${server.url}/api, token ${server.token}) — press Ctrl-C to stop.`);
    } else {
      write(`Rowtrail dashboard: ${server.url}/ (sign in with the configured token: --token or $ROWTRAIL_TOKEN)`);
      write(`  (API: ${server.url}/api, the same token) — press Ctrl-C to stop.`);
    }
    // the demo gives no `authorize`: the API requires a token, the one configured or the one generated
    const token = server.token ?? options.token ?? '';
    return {
      url: server.url,
      token,
      async close() {
        closing = true;
        await server.close();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
