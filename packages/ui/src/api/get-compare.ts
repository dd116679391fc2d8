import { apiGet } from '../lib/api-client';
import type { HistoryEvent } from './types';

export interface Comparison { from: HistoryEvent; to: HistoryEvent; changes: Record<string, [unknown, unknown]> }

export function getCompare(table: string, key: string, from: string, to: string, signal?: AbortSignal): Promise<Comparison> {
  return apiGet('/api/compare', { table, key, from, to }, signal);
}
