import express, { type Router } from 'express';
import { createApiHandler, type ApiOptions } from './api-handler.js';
import { writeApiResult } from './node-response.js';

/**
 * The HTTP API as an Express router. It answers `/api/...` relative to where it
 * is mounted: `app.use(rowtrailRouter(...))` serves /api/events,
 * `app.use('/admin/history', rowtrailRouter(...))` serves /admin/history/api/events.
 */
export function rowtrailRouter(options: ApiOptions): Router {
  const handle = createApiHandler(options);
  const router = express.Router();
  router.use((request, response, next) => {
    if (request.url !== '/api' && !request.url.startsWith('/api/') && !request.url.startsWith('/api?')) return next();
    handle(request, request.url, request.baseUrl)
      .then((result) => writeApiResult(response, result, request.method))
      .catch(next);
  });
  return router;
}
