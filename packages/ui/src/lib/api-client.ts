import { parseExactJson } from './exact-json';
import { getToken } from './token-store';

/** An error answered by the API (or a network failure, status 0). */
export class ApiError extends Error {
  /**
   * On a 401, who refused: `token` (the API wants its bearer token) or `application` (the application embedding the API
   * refused the request: signing in to it is the way in, not a token).
   */
  readonly auth?: 'token' | 'application';
  constructor(readonly status: number, readonly code: string, message: string, auth?: string) {
    super(message);
    if (auth === 'token' || auth === 'application') this.auth = auth;
  }
}

export type QueryValue = string | number | undefined | null | string[];

/** Builds a query string, repeating array values and skipping empty ones. */
export function toSearchParams(query: Record<string, QueryValue>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
    else params.set(key, String(value));
  }
  return params;
}

/**
 * fetch() of an API path (`/api/…`) with the bearer token; errors become ApiError. The path is taken relative to
 * the page's base (`api/…`): the API answers where the dashboard is mounted, `/` or an application's `/admin/history/`.
 */
export async function apiFetch(path: string, query: Record<string, QueryValue> = {}, signal?: AbortSignal): Promise<Response> {
  const search = toSearchParams(query).toString();
  const token = getToken();
  let response: Response;
  try {
    response = await fetch(`${path.replace(/^\//, '')}${search ? `?${search}` : ''}`, { headers: token ? { Authorization: `Bearer ${token}` } : {}, signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'The Rowtrail server cannot be reached.');
  }
  if (!response.ok) {
    let code = 'http_error';
    let message = `${response.status} ${response.statusText}`;
    let auth: string | undefined;
    try {
      const body = (await response.json()) as { error?: { code?: string; message?: string; auth?: string } };
      code = body.error?.code ?? code;
      message = body.error?.message ?? message;
      auth = body.error?.auth;
    } catch {
      // not JSON
    }
    throw new ApiError(response.status, code, message, auth);
  }
  return response;
}

/**
 * GET and parse the JSON answer without rounding: numbers a JS number cannot hold as written (bigint, numeric, 24.90)
 * stay exact (lib/exact-json), where response.json() would round them.
 */
export async function apiGet<T>(path: string, query: Record<string, QueryValue> = {}, signal?: AbortSignal): Promise<T> {
  const response = await apiFetch(path, query, signal);
  return parseExactJson(await response.text()) as T;
}
