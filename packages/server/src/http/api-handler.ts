import type { IncomingMessage } from 'node:http';
import type pg from 'pg';
import { RowtrailNotInstalledError, RowtrailQueryError } from '../query/query-errors.js';
import { matchRoute, type ApiResult } from './api-routes.js';
import { bearerTokenAuthorizer, type Authorize } from './bearer-token.js';
import { openApiDocument } from './openapi-document.js';
import { rawQuery } from './request-params.js';
import { ExportSlots, isConnectionShortage, ServiceUnavailableError } from './export-slots.js';
import { createLinkSigner } from './signed-export-link.js';
import { ExportPermissionError } from '../export/export-privileges.js';
import { checkApiOptions } from './api-options.js';
import { API_HEADERS } from './security-headers.js';
import { forRequest, RequestAbortedError, requestBoundPool } from './request-connections.js';

export interface ApiOptions {
  pool: pg.Pool;
  /** Schema holding Rowtrail's tables. Default "rowtrail". */
  schema?: string;
  /** Who may use the API. Give this or `token`; to open the API deliberately, pass `authorize: () => true`. */
  authorize?: Authorize;
  /** Require "Authorization: Bearer <token>". */
  token?: string;
  /** Secret signing export download links (GET /api/export/link); random per process by default. Share it when several processes serve one API. */
  linkSecret?: string;
  /**
   * Pool the long-lived connections of export downloads come from (default: `pool`). Each download holds one
   * connection for as long as its client reads, so a separate pool keeps slow downloads away from the other endpoints.
   */
  exportPool?: pg.Pool;
  /**
   * Export downloads streaming at once; more are answered 503 with Retry-After. Default: the export pool's `max`
   * when `exportPool` is given, else half of `pool`'s `max` (at least 1), so downloads never hold every connection.
   */
  maxConcurrentExports?: number;
  /**
   * The longest an export download may stream, in seconds (default 3600). A download holds a snapshot for as long as
   * its client reads, and so keeps VACUUM from removing rows deleted or updated since, in every table of the database:
   * one that reaches the limit is cut off (its body ends early, as when the connection is lost) and its connection
   * closed. PostgreSQL's own timeouts do not end it: the session is busy sending, not idle in its transaction.
   */
  maxExportSeconds?: number;
  /** Called with unexpected errors (answered 500). Default: console.error. */
  onError?: (error: unknown) => void;
}

export const API_VERSION = '1';
const PUBLIC_PATHS = new Set(['/api/health', '/api/openapi.json']);

const errorResult = (status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>): ApiResult =>
  ({ status, body: { error: { code, message, ...extra } }, headers });

/**
 * The framework-neutral core of the HTTP API: request in, result out (JSON body
 * or stream). The Express router, the Fastify plugin and the standalone server
 * only adapt it.
 */
export function createApiHandler(options: ApiOptions): (request: IncomingMessage, path: string, basePath?: string) => Promise<ApiResult> {
  checkApiOptions(options, 'createApiHandler');
  // Both given, the token would be silently ignored (authorize decides alone): a client sent it and was refused.
  if (options.authorize !== undefined && options.token !== undefined) {
    throw new Error('Rowtrail: the HTTP API takes `token` or `authorize`, not both: `authorize` decides alone, and the token would never be accepted (check it inside `authorize`, or leave `authorize` out)');
  }
  const authorize = options.authorize ?? (options.token !== undefined ? bearerTokenAuthorizer(options.token) : undefined);
  if (!authorize) throw new Error('Rowtrail: the HTTP API needs `token` or `authorize` (pass `authorize: () => true` to open it deliberately)');
  const allowed: Authorize = authorize;
  // Who refused a request tells a client what to do: send the token, or sign in to the application embedding the API.
  const refused = () => options.authorize
    ? errorResult(401, 'unauthorized', 'not authorized: the application serving this API refused the request (sign in to it)', { auth: 'application' })
    : errorResult(401, 'unauthorized', 'missing or invalid credentials: send "Authorization: Bearer <token>"', { auth: 'token' }, { 'www-authenticate': 'Bearer realm="rowtrail"' });
  const schema = options.schema ?? 'rowtrail';
  const onError = options.onError ?? ((error: unknown) => console.error('Rowtrail HTTP API:', error));
  if (options.linkSecret !== undefined && (typeof options.linkSecret !== 'string' || options.linkSecret.length < 16)) {
    // it is all that stands between a guessed signature and a download of the history
    throw new Error('Rowtrail: linkSecret must be a string of at least 16 characters (omit it for a random one per process)');
  }
  const signer = createLinkSigner(options.linkSecret);
  const exportPool = options.exportPool ?? options.pool;
  const maxExportSeconds = options.maxExportSeconds ?? 3600;
  if (!(typeof maxExportSeconds === 'number' && maxExportSeconds > 0 && maxExportSeconds <= 2_147_483)) {
    throw new Error(`Rowtrail: maxExportSeconds must be a number of seconds above 0 (at most 2147483), got ${String(maxExportSeconds)}`);
  }
  // a request's queries are given up when its client goes (see request-connections.ts)
  const pool = requestBoundPool(options.pool);
  const exportSlots = new ExportSlots(options.maxConcurrentExports ?? (options.exportPool
    ? options.exportPool.options.max ?? 10
    : Math.max(1, Math.floor((options.pool.options.max ?? 10) / 2))));

  // every answer, data, error or export, with the API's headers (never stored, sniffed or framed); its own win
  return async (request, path, basePath = '') => {
    const result = await answer(request, path, basePath);
    return { ...result, headers: { ...API_HEADERS, ...result.headers } } as ApiResult;
  };

  async function answer(request: IncomingMessage, path: string, basePath: string): Promise<ApiResult> {
    try {
      const url = new URL(`http://rowtrail.invalid${path.startsWith('/') ? '' : '/'}${path}`); // never protocol-relative: "//x/api" stays a path
      const pathname = url.pathname;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return errorResult(405, 'method_not_allowed', `${request.method} is not allowed: the API is read-only (GET and HEAD)`, {}, { allow: 'GET, HEAD' });
      }
      if (pathname === '/api/health') return { status: 200, body: { ok: true, version: API_VERSION } };
      if (pathname === '/api/openapi.json') return { status: 200, body: openApiDocument() };
      // A signed download link (from /api/export/link) stands in for the credentials of that one export.
      const link = pathname === '/api/export' ? signer.check(url.searchParams, basePath) : 'absent';
      if (link === 'expired' || link === 'invalid') {
        return errorResult(401, 'unauthorized', `signature: the download link is ${link === 'expired' ? 'expired' : 'not valid'}; request a new one from /api/export/link`, { parameter: 'signature' });
      }
      if (link === 'valid') {
        url.searchParams.delete('signature');
        url.searchParams.delete('expires');
      } else if (!PUBLIC_PATHS.has(pathname) && !(await allowed(request))) {
        return refused();
      }
      const matched = matchRoute(pathname);
      if (!matched) return errorResult(404, 'not_found', `no API endpoint ${pathname} (see /api/openapi.json)`);
      return await forRequest(request, options.pool, () => matched.route.handle({
        pool, exportPool, exportSlots, maxExportSeconds, schema, query: rawQuery(url.searchParams), params: matched.params, signer, basePath, search: url.searchParams,
      }));
    } catch (error) {
      // no one to answer: the status is for logs only (nginx's "client closed request")
      if (error instanceof RequestAbortedError) return errorResult(499, 'client_closed_request', 'the client closed the request before its answer was ready');
      if (error instanceof RowtrailQueryError) {
        return errorResult(error.status, error.code, error.message, error.parameter ? { parameter: error.parameter } : {});
      }
      if (error instanceof RowtrailNotInstalledError) return errorResult(503, 'not_installed', error.message);
      if (error instanceof ServiceUnavailableError) {
        return errorResult(503, error.code, error.message, {}, { 'retry-after': String(error.retryAfterSeconds) });
      }
      // statement_timeout (rowtrail serve --statement-timeout, or the application's own pool setting) ended it
      if ((error as { code?: unknown }).code === '57014') {
        return /statement timeout/.test((error as Error).message)
          ? errorResult(503, 'timeout', 'the query took longer than the server allows (its statement timeout): narrow it (a table, a time range, a user) or ask the operator to raise the limit')
          // cancelled on the database server (an administrator, a shutdown): nothing to narrow
          : errorResult(503, 'cancelled', 'the query was cancelled on the database server; retry shortly', {}, { 'retry-after': '5' });
      }
      if (isConnectionShortage(error)) {
        return errorResult(503, 'unavailable', 'no database connection is free right now (the server is busy); retry shortly', {}, { 'retry-after': '5' });
      }
      onError(error);
      // the server's database role lacks a privilege: a setup problem whoever asks, said as such (no SQL in it)
      if ((error as { code?: unknown }).code === '42501') {
        return errorResult(500, 'permission_denied', `the API's database role may not read what this needs: ${(error as Error).message.replace(/^Rowtrail: /, '')}`
          + `${error instanceof ExportPermissionError ? '' : " (it needs USAGE on Rowtrail's schema and SELECT on its tables and views; see docs/http-api.md)"}`);
      }
      return errorResult(500, 'internal_error', 'internal error (logged on the server)');
    }
  }
}
