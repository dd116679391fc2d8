import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { currentArrival, describePlace, findAnchor, type Arrival } from './scroll-memory';
import { placeStep } from './scroll-memory-step';

// Input that means the user has moved on while the page was still loading: their own scroll is not taken away.
const USER_INPUT = ['wheel', 'touchstart', 'keydown', 'mousedown'] as const;
/** A virtualized list that never renders its anchor where asked, or keeps moving it, is left at its saved position. */
const MAX_REVEALS = 5;
const MAX_CORRECTIONS = 10;

/** A virtualized list: which items it has loaded, and how to render one of them (scroll near it). */
export interface VirtualAnchors {
  /** The item whose `data-scroll-anchor` is `key` is loaded (rendered or not). */
  has(key: string): boolean;
  /** Scrolls near that item, so that a later render has it on screen. */
  reveal(key: string): void;
}

/**
 * Returns a page to where the user was when they left it (Back, Forward, reload; lib/scroll-memory.ts) once its content
 * is rendered (`ready`), loading more of it first when it no longer reaches that far (`loadMore`). Runs before paint,
 * so the page never shows its top first. After an in-app navigation, keyboard focus goes back to the link the user
 * followed from here (still in the page) or to the page itself, as the router does for a new page: Tab continues from
 * where they were, not from the top of a page scrolled far away from it.
 *
 * A page whose items carry `data-scroll-anchor` returns to the item that was at the top of the screen (lib/scroll-memory-step.ts);
 * one that counts its `pages` loads them all again first; a virtualized one (`virtual`) renders its anchor before
 * placing it, and places it again until its rows' measured heights stop moving it.
 */
export function useScrollRestoration({ ready, canLoadMore = false, loading = false, loadMore, pages, virtual }: {
  ready: boolean;
  canLoadMore?: boolean;
  loading?: boolean;
  loadMore?: () => void;
  /** How many pages of its list the page has loaded: remembered when the user leaves, loaded again when they return. */
  pages?: number;
  virtual?: VirtualAnchors;
}): void {
  // A new arrival may come without this page remounting (Back from one filter of the feed to another): the router
  // renders the page again for it. Not subscribed to the hash here: a page subscribed before the router (all are, after
  // a reload) would render alone for the new arrival before the router replaces it, and restore the new page's place
  // on the page being left.
  const arrival = currentArrival();
  const [, recheck] = useState(0);
  const tries = useRef<{ arrival: Arrival | null; reveals: number; corrections: number; byPosition: boolean }>({ arrival: null, reveals: 0, corrections: 0, byPosition: false });

  const counted = pages !== undefined;
  const pagesNow = useRef(pages);
  useLayoutEffect(() => {
    pagesNow.current = pages;
  });
  useEffect(() => (counted ? describePlace(() => ({ pages: pagesNow.current })) : undefined), [counted]);

  useEffect(() => {
    if (arrival.done || !arrival.saved) return;
    const giveUp = () => { arrival.done = true; };
    USER_INPUT.forEach((type) => window.addEventListener(type, giveUp, { capture: true, passive: true }));
    return () => USER_INPUT.forEach((type) => window.removeEventListener(type, giveUp, { capture: true }));
  }, [arrival]);

  // After every render: the content grows page by page until it reaches the saved place.
  useLayoutEffect(() => {
    const saved = arrival.saved;
    if (arrival.done || !saved) return;
    if (tries.current.arrival !== arrival) tries.current = { arrival, reveals: 0, corrections: 0, byPosition: false };
    const t = tries.current;
    const finish = () => {
      arrival.done = true;
      arrival.restored = true;
      restoreFocus(arrival);
    };
    for (;;) {
      const anchor = t.byPosition ? undefined : saved.anchor;
      const element = anchor ? findAnchor(anchor.key) : null;
      const step = placeStep({
        saved: { ...saved, anchor },
        ready,
        room: document.documentElement.scrollHeight - window.innerHeight,
        pages,
        canLoadMore,
        loading,
        anchorTop: element ? element.getBoundingClientRect().top : null,
        anchorLoaded: element !== null || (anchor !== undefined && virtual !== undefined && virtual.has(anchor.key)),
      });
      switch (step.action) {
        case 'wait':
          return;
        case 'load-more':
          loadMore?.();
          return;
        case 'reveal':
          if (t.reveals++ < MAX_REVEALS) {
            virtual!.reveal(anchor!.key);
            return;
          }
          t.byPosition = true; // rendered nowhere it was asked to be: the saved position will do
          continue;
        case 'correct': {
          const before = window.scrollY;
          window.scrollBy(0, step.by);
          // A list that renders and measures rows as they come on screen may move the anchor again: look once more on
          // the next frame, until it stays put. Any other page is where it was now (or as far as it goes).
          if (virtual && window.scrollY !== before && t.corrections++ < MAX_CORRECTIONS) {
            requestAnimationFrame(() => recheck((n) => n + 1));
            return;
          }
          finish();
          return;
        }
        case 'in-place':
          finish();
          return;
        case 'scroll':
          window.scrollTo(0, step.y);
          finish();
          return;
      }
    }
  });
}

/** Focus was lost with the page left behind (or the router put it on the page while this one loaded): back on the link followed. */
function restoreFocus(arrival: Arrival): void {
  const main = document.getElementById('main');
  const active = document.activeElement;
  if (!arrival.inApp || !main || (active && active !== document.body && active !== main)) return;
  const href = arrival.saved?.focusHref ?? null;
  const within = (arrival.saved?.focusIn !== undefined && findAnchor(arrival.saved.focusIn)) || main;
  const find = (root: HTMLElement) => [...root.querySelectorAll('a[href]')].find((a) => a.getAttribute('href') === href);
  const link = href === null ? undefined : find(within) ?? find(main);
  (link instanceof HTMLElement ? link : main).focus({ preventScroll: true });
}
