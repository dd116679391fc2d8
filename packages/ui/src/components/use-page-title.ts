import { useEffect } from 'react';

/**
 * The browser tab's title for the page shown: "<page> · Rowtrail", so tabs, the history list and screen readers can
 * tell pages apart (every page was "Rowtrail").
 */
export function usePageTitle(page: string): void {
  useEffect(() => {
    document.title = `${page} · Rowtrail`;
  }, [page]);
}
