import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { DASHBOARD_DIST_DIR } from '../package-paths.js';
import { createApiHandler, type ApiOptions } from './api-handler.js';
import { checkApiOptions, DASHBOARD_OPTION_KINDS } from './api-options.js';
import { dashboardFiles } from './dashboard-files.js';
import { writeApiResult } from './node-response.js';

/**
 * A Connect-style middleware, typed with Node's own request and response so that it fits the `app.use()` of
 * Express 4 and 5 alike (an Express Router's type is that of one major version, and the other's app refuses it).
 */
export type RowtrailMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

export interface RowtrailRouterOptions extends ApiOptions {
  /**
   * Also serve the dashboard at the mount point: `true` for the one shipped with the package, or the directory of
   * a dashboard build. Its page and files need no authorization (they hold no data); its API calls do.
   */
  dashboard?: boolean | string;
}

/**
 * The HTTP API as an Express router. It answers `/api/...` relative to where it
 * is mounted: `app.use(rowtrailRouter(...))` serves /api/events,
 * `app.use('/admin/history', rowtrailRouter(...))` serves /admin/history/api/events.
 */
export function rowtrailRouter(options: RowtrailRouterOptions): RowtrailMiddleware {
  checkApiOptions(options, 'rowtrailRouter', DASHBOARD_OPTION_KINDS);
  const { dashboard: _dashboard, ...apiOptions } = options;
  const handle = createApiHandler(apiOptions);
  const router = express.Router();
  router.use((request, response, next) => {
    if (request.url !== '/api' && !request.url.startsWith('/api/') && !request.url.startsWith('/api?')) return next();
    handle(request, request.url, request.baseUrl)
      .then((result) => writeApiResult(response, result, request.method))
      .catch(next);
  });
  if (options.dashboard) router.use(dashboardFiles(options.dashboard === true ? DASHBOARD_DIST_DIR : options.dashboard, 'dashboard'));
  // Express sets what the router reads (baseUrl, originalUrl) on the request before calling a middleware.
  return (request, response, next) => router(request as express.Request, response as express.Response, next);
}
