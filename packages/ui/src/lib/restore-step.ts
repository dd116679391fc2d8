/** What a page returning to a saved scroll position does now, given what it has rendered so far. */
export type RestoreStep = { action: 'wait' } | { action: 'load-more' } | { action: 'scroll'; y: number };

/**
 * Decides one step of returning to `savedY`: wait for the content; when the content rendered so far does not reach
 * that far and more can load (a long feed whose pages are no longer cached), load more first; else scroll there,
 * or as far as the page now goes (it may have become shorter since).
 */
export function restoreStep({ savedY, ready, room, canLoadMore, loading }: {
  savedY: number;
  /** The page's content is rendered (not its loading state). */
  ready: boolean;
  /** How far the page can scroll now: its height less the viewport's. */
  room: number;
  canLoadMore: boolean;
  loading: boolean;
}): RestoreStep {
  if (!ready) return { action: 'wait' };
  if (savedY > room && (canLoadMore || loading)) return loading ? { action: 'wait' } : { action: 'load-more' };
  return { action: 'scroll', y: Math.max(0, Math.min(savedY, room)) };
}
