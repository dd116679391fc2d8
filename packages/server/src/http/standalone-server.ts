import { STATUS_CODES, type Server } from 'node:http';
import express from 'express';
import type pg from 'pg';
import type { Authorize } from './bearer-token.js';
import { generateToken } from './bearer-token.js';
import { dashboardFiles } from './dashboard-files.js';
import { rowtrailRouter } from './express-router.js';
import { z } from 'zod';
import type { OptionKinds } from '../option-kinds.js';
import { checkApiOptions } from './api-options.js';
import { API_HEADERS } from './security-headers.js';

export interface ServerOptions {
  pool: pg.Pool;
  /** Port to listen on; 0 picks a free one. Default 4800. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Bearer token required by the API; one is generated when absent. */
  token?: string;
  /** Replaces the token check: give this or `token`, not both. */
  authorize?: Authorize;
  /** Secret signing export download links; random per process by default. Give every process serving one API the same. */
  linkSecret?: string;
  schema?: string;
  /** Built dashboard files to serve on the same port (SPA: unknown non-API paths get index.html). */
  staticDir?: string;
  /** See ApiOptions: a pool for export downloads, and how many may stream at once. */
  exportPool?: pg.Pool;
  maxConcurrentExports?: number;
  maxExportSeconds?: number;
  onError?: (error: unknown) => void;
}

interface RunningServerBase {
  /** Base URL, e.g. http://127.0.0.1:4800 */
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * A started server. `token` is the token the API requires: the one given, or one generated when neither `token` nor
 * `authorize` was given (`tokenGenerated: true`); undefined when `authorize` decides who may read.
 */
export type RunningServer =
  | (RunningServerBase & { token: string; tokenGenerated: true })
  | (RunningServerBase & { token: string | undefined; tokenGenerated: false });

const SERVER_OPTION_KINDS = {
  port: [z.number().int().min(0).max(65535), 'a port number (0–65535)'],
  host: [z.string().min(1), 'a host name or address'],
  staticDir: [z.string().min(1), 'the directory of a dashboard build'],
} as const satisfies OptionKinds;

/** Runs the HTTP API (and optionally the dashboard) as its own server. Authentication is always on. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  checkApiOptions(options, 'startServer', SERVER_OPTION_KINDS);
  const generated = options.token === undefined && options.authorize === undefined ? generateToken() : undefined;
  const app = express();
  app.disable('x-powered-by');
  app.use(rowtrailRouter({
    pool: options.pool, exportPool: options.exportPool, maxConcurrentExports: options.maxConcurrentExports, maxExportSeconds: options.maxExportSeconds,
    schema: options.schema, token: generated ?? options.token, authorize: options.authorize, linkSecret: options.linkSecret, onError: options.onError,
  }));
  if (options.staticDir !== undefined) app.use(dashboardFiles(options.staticDir));
  // its own answers outside the API (no dashboard, another method) and its errors, with the API's headers
  app.use((request, response) => {
    response.status(404).set(API_HEADERS).json({ error: { code: 'not_found', message: `no route ${request.method} ${request.path}` } });
  });
  // Errors of the static files (say index.html removed by a redeploy): JSON like the API's, never Express's
  // default page, which shows the stack trace and local paths outside production.
  app.use((error: { status?: number; statusCode?: number }, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
    const given = error.status ?? error.statusCode ?? 500;
    const status = given >= 400 && given <= 599 ? given : 500;
    const code = status === 404 ? 'not_found' : status < 500 ? 'bad_request' : 'internal_error';
    if (response.headersSent) return void response.destroy();
    response.status(status).set(API_HEADERS).json({ error: { code, message: STATUS_CODES[status] ?? 'Internal Server Error' } });
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port ?? 4800, options.host ?? '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
    listening.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 4800;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    ...(generated !== undefined ? { token: generated, tokenGenerated: true as const } : { token: options.token, tokenGenerated: false as const }),
    server,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
  };
}
