import { stringifyExactJson } from './exact-json';
import { href } from './router';

export const recordHref = (table: string, key: Record<string, unknown> | string, params: Record<string, string | undefined> = {}) =>
  href(`/records/${encodeURIComponent(table)}`, { key: typeof key === 'string' ? key : stringifyExactJson(key), ...params });

export const requestHref = (contextId: string) => href(`/requests/${encodeURIComponent(contextId)}`);
