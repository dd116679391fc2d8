import pg from 'pg';
import { freePort } from '../database/free-port.js';
import { startServer } from '../http/standalone-server.js';
import { ensureDashboardBuild } from './dashboard-build.js';
import type { DemoOptions } from './demo-options.js';

export interface DemoServer { url: string; token: string; close(): Promise<void> }

/** Serves the HTTP API and the dashboard for the demo database on one port, and prints the link to open. */
export async function serveDemo(databaseUrl: string, options: DemoOptions, write: (line: string) => void): Promise<DemoServer> {
  const staticDir = await ensureDashboardBuild(write);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, application_name: 'rowtrail-dashboard' });
  let closing = false;
  // An idle connection can drop (on Ctrl-C the terminal signals the embedded PostgreSQL too): never crash on it.
  pool.on('error', (error) => {
    if (!closing) write(`demo: database connection lost (${error.message}); it will reconnect on the next request`);
  });
  try {
    const port = options.strictPort || options.port === 0 ? options.port : await freePort(options.port, 20);
    const server = await startServer({ pool, port, host: options.host, token: options.token, staticDir });
    const link = `${server.url}/#token=${encodeURIComponent(server.token)}`;
    write(`Rowtrail dashboard: ${link}`);
    write(`  (API: ${server.url}/api, token ${server.token}) — press Ctrl-C to stop.`);
    return {
      url: server.url,
      token: server.token,
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
