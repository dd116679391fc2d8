import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { stringifyJson } from '../query/exact-json.js';
import { createApiHandler, type ApiOptions } from './api-handler.js';

// The parts of Fastify the plugin uses, written out so that its type declarations do not import 'fastify':
// applications without Fastify compile against them too. A FastifyInstance is one.
interface FastifyReplyLike {
  code(status: number): unknown;
  header(name: string, value: string): unknown;
  type(contentType: string): FastifyReplyLike;
  send(payload?: string | Readable): unknown;
}
interface FastifyLike {
  prefix: string;
  route(options: { method: string[]; url: string; handler: (request: { raw: IncomingMessage }, reply: FastifyReplyLike) => Promise<unknown> }): unknown;
}

/**
 * The HTTP API as a Fastify plugin:
 *   app.register(rowtrailFastifyPlugin, { pool, token })            → /api/events
 *   app.register(rowtrailFastifyPlugin, { pool, authorize, prefix: '/history' }) → /history/api/events
 * authorize receives the raw Node request (request.raw).
 */
export async function rowtrailFastifyPlugin(fastify: FastifyLike, options: ApiOptions): Promise<void> {
  const handle = createApiHandler(options);
  const prefix = fastify.prefix;
  const handler = async (request: { raw: IncomingMessage }, reply: FastifyReplyLike) => {
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
}
