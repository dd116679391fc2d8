import { apiGet } from '../lib/api-client';
import type { HistoryEvent } from './types';

export interface RecordState { exists: boolean; event: HistoryEvent | null }

export function getState(table: string, key: string, at: string, signal?: AbortSignal): Promise<RecordState> {
  return apiGet('/api/state', { table, key, at }, signal);
}
