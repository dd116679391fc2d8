import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { getCompare } from '../../api/get-compare';
import { ApiError } from '../../lib/api-client';
import { byEventId } from './event-id-order';

/**
 * Where a linked version (`version=`) stands: `found` in the loaded pages, `missing` (not a version of this record),
 * or still `searching`; `none` without a link to a version.
 */
export type VersionLookup = 'none' | 'found' | 'searching' | 'missing';

/**
 * What the pages loaded so far (event ids, newest first, as the history API orders them) say about a version: there,
 * certainly not in this record's history (no page left, or the pages already went past its id), or not known yet.
 */
export function versionInPages(version: string, eventIds: string[], hasNextPage: boolean): 'found' | 'missing' | 'unknown' {
  if (eventIds.includes(version)) return 'found';
  if (!hasNextPage) return 'missing';
  const oldest = eventIds[eventIds.length - 1];
  return oldest !== undefined && byEventId(oldest, version) < 0 ? 'missing' : 'unknown';
}

interface History {
  loaded: boolean;
  eventIds: string[];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/**
 * Loads history pages until the linked version is there, but only once the API confirmed it is one of this record's
 * versions: a version of another record (a customer event in a product's link) would otherwise walk every page of a
 * 10,000-version history (27 requests) to find nothing. /api/compare of the version with itself answers 404 for an
 * event that is not a version of the record: one small request, asked only when the first pages do not settle it.
 */
export function useVersionLookup(table: string, recordKey: string, version: string | null, history: History): VersionLookup {
  const { loaded, eventIds, hasNextPage, isFetchingNextPage, fetchNextPage } = history;
  const inPages = version && loaded ? versionInPages(version, eventIds, hasNextPage) : null;
  const membership = useQuery({
    queryKey: ['version-of', table, recordKey, version],
    queryFn: ({ signal }) => getCompare(table, recordKey, version!, version!, signal),
    enabled: inPages === 'unknown',
    staleTime: Infinity, // whether an event belongs to a record never changes
  });
  const notAVersion = membership.error instanceof ApiError && membership.error.status === 404;
  // When the check itself fails (the server busy), fall back to walking the pages: they settle it too.
  const walk = inPages === 'unknown' && (membership.isSuccess || (membership.isError && !notAVersion));
  useEffect(() => {
    if (walk && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [walk, hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (!version) return 'none';
  if (inPages === 'found') return 'found';
  if (inPages === 'missing' || notAVersion) return 'missing';
  return 'searching';
}
