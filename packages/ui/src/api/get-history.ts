import { apiGet } from '../lib/api-client';
import type { HistoryEvent, Page } from './types';

export function getHistory(table: string, key: string, cursor: string | null, limit: number, signal?: AbortSignal): Promise<Page<HistoryEvent>> {
  return apiGet('/api/history', { table, key, order: 'desc', limit, cursor }, signal);
}
