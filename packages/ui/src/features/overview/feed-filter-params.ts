import type { EventFilters } from '../../api/types';

/** Feed filters live in the URL so links can be shared. */
export function filtersFromParams(params: URLSearchParams): EventFilters {
  return {
    table: params.getAll('table'),
    operation: params.getAll('operation'),
    user: params.get('user') ?? undefined,
    requestId: params.get('requestId') ?? undefined,
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
  };
}

export function filtersToParams(filters: EventFilters): Record<string, string | string[] | undefined> {
  return { table: filters.table, operation: filters.operation, user: filters.user, requestId: filters.requestId, from: filters.from, to: filters.to };
}

export const hasFilters = (f: EventFilters) => Boolean(f.table?.length || f.operation?.length || f.user || f.requestId || f.from || f.to);
