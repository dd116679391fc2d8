import { apiGet } from '../lib/api-client';
import type { DiffEvent, EventFilters, Page } from './types';

export function getEvents(filters: EventFilters, cursor: string | null, limit: number, signal?: AbortSignal): Promise<Page<DiffEvent>> {
  return apiGet('/api/events', { ...filters, limit, cursor }, signal);
}
