import { restoreStep } from './restore-step';
import type { SavedPlace } from './scroll-memory';

/** What a page returning to a saved place (lib/scroll-memory.ts) does now, given what it has rendered so far. */
export type PlaceStep =
  | { action: 'wait' }
  | { action: 'load-more' }
  /** The anchor is loaded but not rendered (a virtualized list): bring it on screen, then look again. */
  | { action: 'reveal' }
  /** The anchor is rendered, `by` pixels below where it was (above when negative): scroll by that much. */
  | { action: 'correct'; by: number }
  /** The anchor is where it was: nothing left to do. */
  | { action: 'in-place' }
  /** No anchor to go by (or it is gone): return to the saved position, or as far as the page now goes. */
  | { action: 'scroll'; y: number };

/**
 * Decides one step of returning to a saved place. First the pages that were loaded (a request page's 800 changes are
 * 800 again, not the first 200); then the anchor, the item that was at the top of the screen, loading pages until it
 * is there and putting it back as far above or below the screen's top as it was; without an anchor, or when it can no
 * longer be found, the saved position (lib/restore-step.ts: loading pages until the page is that long).
 */
export function placeStep({ saved, ready, room, pages, canLoadMore, loading, anchorTop, anchorLoaded }: {
  saved: Pick<SavedPlace, 'y' | 'anchor' | 'pages'>;
  /** The page's content is rendered (not its loading state). */
  ready: boolean;
  /** How far the page can scroll now: its height less the viewport's. */
  room: number;
  /** How many pages the page has loaded; undefined for a page that does not count them. */
  pages?: number;
  canLoadMore: boolean;
  loading: boolean;
  /** The saved anchor's top relative to the screen's top, when it is rendered; null when it is not (or none was saved). */
  anchorTop: number | null;
  /** The saved anchor is among the items loaded, rendered or not (a virtualized list renders only those on screen). */
  anchorLoaded: boolean;
}): PlaceStep {
  if (!ready) return { action: 'wait' };
  const more = (): PlaceStep => (loading ? { action: 'wait' } : { action: 'load-more' });
  if (saved.pages !== undefined && pages !== undefined && pages < saved.pages && (canLoadMore || loading)) return more();
  if (saved.anchor) {
    if (anchorTop !== null) {
      const by = Math.round(anchorTop + saved.anchor.offset);
      return Math.abs(by) <= 1 ? { action: 'in-place' } : { action: 'correct', by };
    }
    if (anchorLoaded) return { action: 'reveal' };
    if (canLoadMore || loading) return more();
  }
  return restoreStep({ savedY: saved.y, ready, room, canLoadMore, loading });
}
