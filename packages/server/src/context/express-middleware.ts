import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createContext, run, type RequestContext } from './request-context.js';

export interface ContextMiddlewareOptions<Req extends IncomingMessage> {
  /** Who is making the request (e.g. req.user?.id). */
  user?: (request: Req) => string | number | null | undefined;
  /** Extra JSON metadata for this request. */
  metadata?: (request: Req) => Record<string, unknown>;
  /**
   * Header carrying an incoming request id; a UUID is generated when absent. Default "x-request-id".
   * Its value is whatever the client (or a proxy in front) sent: `false` ignores every header and always
   * generates the id, for services whose edge does not set or strip that header.
   */
  requestIdHeader?: string | false;
}

/**
 * Express (or Connect) middleware that runs the rest of the request inside a
 * Rowtrail context recording user, request id, method and URL.
 */
export function contextMiddleware<Req extends IncomingMessage = IncomingMessage>(options: ContextMiddlewareOptions<Req> = {}) {
  const header = options.requestIdHeader === false ? undefined : (options.requestIdHeader ?? 'x-request-id').toLowerCase();
  return (request: Req, response: ServerResponse, next: (error?: unknown) => void): void => {
    let context: RequestContext;
    try {
      const incoming = header === undefined ? undefined : request.headers[header];
      context = createContext({
        ...options.metadata?.(request),
        user: options.user?.(request) ?? null,
        requestId: (Array.isArray(incoming) ? incoming[0] : incoming) || randomUUID(),
        method: request.method,
        url: (request as { originalUrl?: string }).originalUrl ?? request.url,
      });
    } catch (error) {
      return next(error); // a context that cannot travel is refused before any write
    }
    run(context, () => next());
  };
}
