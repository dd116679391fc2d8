import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { checkOptions, functionKind as fn, type OptionKinds } from '../option-kinds.js';
import { RowtrailContextError, sentBytes } from './context-comment.js';
import { createLiveContext, run, type ContextMetadata, type RequestContext } from './request-context.js';

/**
 * What the middleware keeps of the request URL: at most this many bytes as sent in each statement's comment
 * (UTF-8, with JSON's escapes, and each "*" as the six bytes \u002a: see encodeContextComment). The URL and the
 * request id come from the client; bounded, together they take at most MAX_URL_BYTES + 6 × MAX_REQUEST_ID_LENGTH
 * (3,248) bytes of MAX_CONTEXT_BYTES (8 KiB), and so can never push a context over it and fail every request,
 * read-only ones included.
 */
export const MAX_URL_BYTES = 2048;
/**
 * What the middleware keeps of an incoming request id: at most this many characters (UTF-16 code units). As sent,
 * a code unit takes at most six bytes (a "*" as \u002a, a control character as \u00XX), so at most 1,200 bytes.
 */
export const MAX_REQUEST_ID_LENGTH = 200;
/** Ends a URL or request id that was cut to its bound. */
export const TRUNCATION_MARK = '…';

export interface ContextMiddlewareOptions<Req extends IncomingMessage> {
  /**
   * Who is making the request (e.g. req.user?.id). When given, it decides the recorded user (null when it returns
   * null or undefined), over a "user" key that `metadata` returns.
   */
  user?: (request: Req) => string | number | null | undefined;
  /**
   * Extra JSON metadata for this request. Without a `user` option, a "user" key it returns is the recorded user
   * (null when absent). Its "requestId", "method" and "url" keys are replaced by the request's own.
   */
  metadata?: (request: Req) => Record<string, unknown>;
  /**
   * Header carrying an incoming request id; a UUID is generated when absent. Default "x-request-id".
   * Its value is whatever the client (or a proxy in front) sent: `false` ignores every header and always
   * generates the id, for services whose edge does not set or strip that header. An id longer than
   * MAX_REQUEST_ID_LENGTH (200) characters is cut, ending in "…"; so is a URL over MAX_URL_BYTES (2,048 bytes as
   * sent, where each "*" takes six).
   */
  requestIdHeader?: string | false;
  /**
   * The URL to record, from the request as it arrived (default: its URL as received, `originalUrl` under Express, query
   * string included). The URL travels in every statement's comment and stays in history: give a function that leaves
   * out what must not (`(req) => req.originalUrl.split('?')[0]`, or one that redacts a token parameter); null or
   * undefined records none. Cut as the default is (MAX_URL_BYTES).
   */
  url?: (request: Req) => string | null | undefined;
}

const MIDDLEWARE_OPTION_KINDS = {
  user: fn('a function (request) => user id'),
  metadata: fn('a function (request) => object'),
  requestIdHeader: [z.union([z.string().min(1), z.literal(false)]), 'a header name or false'],
  url: fn('a function (request) => URL to record'),
} as const satisfies OptionKinds;

/**
 * Express (or Connect) middleware that runs the rest of the request inside a
 * Rowtrail context recording user, request id, method and URL. `user` and `metadata`
 * are read when the request's statements are sent, not when it reaches the middleware,
 * so a route's own authentication may come after it; the request id, method and URL are
 * those the request arrived with. Mount it after session and authentication middleware: one
 * that calls next() from a callback of a connection it opened during an earlier request
 * runs the rest of the request in that earlier request's context (README, "Where to mount").
 */
export function contextMiddleware<Req extends IncomingMessage = IncomingMessage>(options: ContextMiddlewareOptions<Req> = {}) {
  // a misspelt option (`urll`, `users`) would otherwise record what it was given to leave out, or no user at all
  checkOptions(options, MIDDLEWARE_OPTION_KINDS, (name, reason) => new Error(`Rowtrail: contextMiddleware: ${name}: ${reason}`));
  const header = options.requestIdHeader === false ? undefined : (options.requestIdHeader ?? 'x-request-id').toLowerCase();
  return (request: Req, response: ServerResponse, next: (error?: unknown) => void): void => {
    let context: RequestContext;
    try {
      const incoming = header === undefined ? undefined : request.headers[header];
      const arrived = {
        requestId: truncate((Array.isArray(incoming) ? incoming[0] : incoming) || randomUUID(), (ch) => ch.length, MAX_REQUEST_ID_LENGTH),
        method: request.method,
        url: truncateUrl(options.url ? options.url(request) ?? undefined : (request as { originalUrl?: string }).originalUrl ?? request.url),
      };
      // read once now (a context that cannot travel is refused before any write), when authentication may not have run
      // yet: a `user` written `(req) => req.user.id` throws then, and only its reads when the request writes count
      let arriving = true;
      context = createLiveContext(() => {
        let metadata: Record<string, unknown> | undefined;
        let user: ContextMetadata['user'];
        let reading = '`metadata`';
        try {
          metadata = options.metadata?.(request);
          reading = '`user`';
          // the `user` option is the specific one: when given, it wins over metadata's "user"
          user = options.user ? options.user(request) : (metadata?.user as ContextMetadata['user']);
        } catch (error) {
          if (arriving) return { user: null, ...arrived };
          throw new RowtrailContextError(`Rowtrail: contextMiddleware: its ${reading} option threw while the request (${arrived.method} ${arrived.url}) was writing, `
            + `so the write was not sent: ${(error as Error)?.message ?? String(error)}`, { cause: error });
        }
        return { ...metadata, user: user ?? null, ...arrived };
      });
      arriving = false;
    } catch (error) {
      return next(error); // a context that cannot travel is refused before any write
    }
    run(context, () => next());
  };
}

function truncateUrl(url: string | undefined): string | undefined {
  return url === undefined ? undefined : truncate(url, sentBytes, MAX_URL_BYTES);
}

/**
 * Keeps a value within `max` (as measured by `size`), cutting it between code points and ending it in
 * TRUNCATION_MARK, mark included in the bound. A value within the bound is returned as is.
 */
function truncate(value: string, size: (text: string) => number, max: number): string {
  if (size(value) <= max) return value;
  let used = size(TRUNCATION_MARK);
  let kept = '';
  for (const ch of value) {
    used += size(ch);
    if (used > max) break;
    kept += ch;
  }
  return kept + TRUNCATION_MARK;
}
