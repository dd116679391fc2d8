import { useCallback, useEffect, useRef } from 'react';

/** Calls load() when the returned element scrolls into view (infinite scroll). */
export function useLoadMore(load: () => void, enabled: boolean) {
  const ref = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element || !enabled) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) load();
    }, { rootMargin: '400px' });
    observer.observe(element);
    return () => observer.disconnect();
  }, [load, enabled]);
  return ref;
}

/** The part of a TanStack infinite query that paging needs. */
interface PagedQuery {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/**
 * Infinite scroll for a TanStack infinite query: `sentinel` fetches the next
 * page when it comes into view; `loadMore` does the same for a button.
 */
export function useNextPageOnScroll({ hasNextPage, isFetchingNextPage, fetchNextPage }: PagedQuery) {
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  return { sentinel: useLoadMore(loadMore, Boolean(hasNextPage)), loadMore };
}
