import { apiGet } from '../lib/api-client';
import type { EventFilters } from './types';

export interface ActivityBucket { start: string; INSERT: number; UPDATE: number; DELETE: number }
export interface Activity { bucket: 'hour' | 'day'; buckets: ActivityBucket[] }

export function getActivity(filters: EventFilters, bucket: 'hour' | 'day', signal?: AbortSignal): Promise<Activity> {
  return apiGet('/api/activity', { ...filters, bucket }, signal);
}
