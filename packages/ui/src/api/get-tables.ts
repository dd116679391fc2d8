import { apiGet } from '../lib/api-client';
import type { TrackedTable } from './types';

export const tablesQuery = () => ({
  queryKey: ['tables'],
  queryFn: ({ signal }: { signal: AbortSignal }) => apiGet<{ tables: TrackedTable[] }>('/api/tables', {}, signal),
});
