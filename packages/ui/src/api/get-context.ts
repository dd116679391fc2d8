import { apiGet } from '../lib/api-client';
import type { Context, DiffEvent, Page } from './types';

export type ContextPage = Page<DiffEvent> & { context: Context };

export function getContext(id: string, cursor: string | null, limit: number, signal?: AbortSignal): Promise<ContextPage> {
  return apiGet(`/api/contexts/${encodeURIComponent(id)}`, { limit, cursor }, signal);
}
