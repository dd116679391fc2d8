import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { DASHBOARD_DIST_DIR } from '../package-paths.js';
import { stringifyJson } from '../query/exact-json.js';
import { createApiHandler, type ApiOptions } from './api-handler.js';
import { API_OPTION_KINDS, checkApiOptions, DASHBOARD_OPTION_KINDS } from './api-options.js';
import { DASHBOARD_PAGE_CACHE_CONTROL, dashboardBuild, type DashboardBuild } from './dashboard-files.js';
import { DASHBOARD_HEADERS } from './security-headers.js';

/** The options of Fastify's register() that Fastify also hands the plugin (https://fastify.dev/docs/latest/Reference/Plugins/). */
const FASTIFY_REGISTER_OPTIONS = new Set(['prefix', 'logLevel', 'logSerializers']);

// The parts of Fastify the plugin uses, written out so that its type declarations do not import 'fastify':
// applications without Fastify compile against them too. A FastifyInstance is one.
interface FastifyReplyLike {
  raw: ServerResponse;
  code(status: number): unknown;
  header(name: string, value: string): unknown;
  type(contentType: string): FastifyReplyLike;
  send(payload?: string | Readable): unknown;
  hijack(): unknown;
}
type FastifyHandler = (request: { raw: IncomingMessage }, reply: FastifyReplyLike) => Promise<unknown>;
interface FastifyLike {
  prefix: string;
  route(options: { method: string[]; url: string; handler: FastifyHandler }): unknown;
}

export interface RowtrailFastifyOptions extends ApiOptions {
  /**
   * Also serve the dashboard under the plugin's prefix, as rowtrailRouter({ dashboard }) does: `true` for the one
   * shipped with the package, or the directory of a dashboard build. Its page and files need no authorization
   * (they hold no data); its API calls do.
   */
  dashboard?: boolean | string;
}

/**
 * The HTTP API (and optionally the dashboard) as a Fastify plugin:
 *   app.register(rowtrailFastifyPlugin, { pool, token })            → /api/events
 *   app.register(rowtrailFastifyPlugin, { pool, authorize, prefix: '/history', dashboard: true }) → /history/api/events, /history/
 * authorize receives the raw Node request (request.raw).
 */
export async function rowtrailFastifyPlugin(fastify: FastifyLike, options: RowtrailFastifyOptions): Promise<void> {
  // Fastify hands a plugin its register() options too (prefix, logLevel, logSerializers): they are Fastify's; every other
  // name is checked as the router checks its own, and only the API's are passed on
  const ownOptions = Object.fromEntries(Object.entries(options).filter(([name]) => !FASTIFY_REGISTER_OPTIONS.has(name)));
  checkApiOptions(ownOptions, 'rowtrailFastifyPlugin', DASHBOARD_OPTION_KINDS);
  const apiOptions = Object.fromEntries(Object.entries(ownOptions).filter(([name]) => Object.hasOwn(API_OPTION_KINDS, name))) as unknown as ApiOptions;
  const handle = createApiHandler(apiOptions);
  const prefix = fastify.prefix;
  const handler: FastifyHandler = async (request, reply) => {
    const url = request.raw.url ?? '/';
    const result = await handle(request.raw, url.startsWith(prefix) ? url.slice(prefix.length) : url, prefix);
    reply.code(result.status);
    for (const [name, value] of Object.entries(result.headers ?? {})) reply.header(name, value);
    if ('stream' in result) {
      // HEAD: the headers only. Fastify's own HEAD route would read the stream to its end (the whole export).
      if (request.raw.method === 'HEAD') {
        result.stream.destroy();
        return reply.send();
      }
      return reply.send(result.stream);
    }
    return reply.type('application/json; charset=utf-8').send(stringifyJson(result.body)); // event JSON text from PostgreSQL goes out verbatim
  };
  // every method reaches the handler, which answers 405 to all but GET and HEAD
  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
  fastify.route({ method: methods, url: '/api', handler });
  fastify.route({ method: methods, url: '/api/*', handler });
  if (options.dashboard) {
    // Fastify picks the /api routes above over this wildcard, as the Express router answers /api before the dashboard.
    const dashboard = dashboardHandler(dashboardBuild(options.dashboard === true ? DASHBOARD_DIST_DIR : options.dashboard, 'dashboard'), prefix);
    fastify.route({ method: ['GET', 'HEAD'], url: '/', handler: dashboard });
    fastify.route({ method: ['GET', 'HEAD'], url: '/*', handler: dashboard });
  }
}

/**
 * A file of the build, answered by the same static-file middleware as under Express (its caching headers and
 * conditional requests) straight on Node's response; otherwise the page through reply.send(), so that the
 * application's hooks apply to it as to its other answers. Errors (a missing page: 404) go to its error handler.
 */
function dashboardHandler(build: DashboardBuild, prefix: string): FastifyHandler {
  return (request, reply) => new Promise((resolve, reject) => {
    const raw = request.raw;
    const url = raw.url ?? '/';
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      raw.url = url;
      finish();
    };
    // A file sent (or the client gone): Fastify has nothing more to send.
    reply.raw.once('close', () => settle(() => { reply.hijack(); resolve(undefined); }));
    // The file's path below the mount point, as an Express mount gives it.
    const below = url.startsWith(prefix) ? url.slice(prefix.length) : url;
    raw.url = below.startsWith('/') ? below : `/${below}`;
    build.files(raw, reply.raw, (error) => settle(() => {
      if (error) return reject(error);
      build.page(prefix).then((page) => {
        reply.type('text/html; charset=utf-8').header('cache-control', DASHBOARD_PAGE_CACHE_CONTROL);
        for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) reply.header(name, value);
        resolve(page);
      }, reject);
    }));
  });
}
