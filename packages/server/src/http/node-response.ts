import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { stringifyJson } from '../query/exact-json.js';
import type { ApiResult } from './api-routes.js';

/**
 * Writes an API result to a Node response: JSON, or a stream piped with backpressure. A server of its own that uses
 * createApiHandler() writes its results with this: the body holds events as the exact JSON text PostgreSQL wrote
 * (numbers beyond a double's precision kept), which JSON.stringify would write as strings.
 */
export async function writeApiResult(response: ServerResponse, result: ApiResult, method = 'GET'): Promise<void> {
  response.statusCode = result.status;
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, value);
  if ('stream' in result) {
    if (method === 'HEAD') {
      result.stream.destroy();
      response.end();
      return;
    }
    // A failure after the first byte cannot change the status: the response is cut short instead.
    await pipeline(result.stream, response).catch(() => response.destroy());
    return;
  }
  const body = stringifyJson(result.body); // event JSON text from PostgreSQL goes out verbatim
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(method === 'HEAD' ? undefined : body);
}
