import { apiGet } from '../lib/api-client';
import type { Activity } from './get-activity';

/**
 * How many events one context (request) wrote, in all: /api/contexts/:id pages its events without a total, while
 * /api/activity counts the events of any filter, `contextId` included (its daily buckets summed).
 */
export async function getContextEventCount(contextId: string, signal?: AbortSignal): Promise<number> {
  const activity = await apiGet<Activity>('/api/activity', { contextId, bucket: 'day' }, signal);
  return activity.buckets.reduce((sum, b) => sum + b.INSERT + b.UPDATE + b.DELETE, 0);
}
