import { useEffect, useLayoutEffect } from 'react';
import { restoreStep } from './restore-step';
import { useHash } from './router';
import { currentArrival } from './scroll-memory';

// Input that means the user has moved on while the page was still loading: their own scroll is not taken away.
const USER_INPUT = ['wheel', 'touchstart', 'keydown', 'mousedown'] as const;

/**
 * Returns a page to where the user was when they left it (Back, Forward, reload; lib/scroll-memory.ts) once its content
 * is rendered (`ready`), loading more of it first when it no longer reaches that far (`loadMore`). Runs before paint,
 * so the page never shows its top first. After an in-app navigation, keyboard focus goes back to the link the user
 * followed from here (still in the page) or to the page itself, as the router does for a new page: Tab continues from
 * where they were, not from the top of a page scrolled far away from it.
 */
export function useScrollRestoration({ ready, canLoadMore = false, loading = false, loadMore }: {
  ready: boolean;
  canLoadMore?: boolean;
  loading?: boolean;
  loadMore?: () => void;
}): void {
  useHash(); // a new arrival may come without this page remounting (Back from one filter of the feed to another)
  const arrival = currentArrival();

  useEffect(() => {
    if (arrival.done || !arrival.saved) return;
    const giveUp = () => { arrival.done = true; };
    USER_INPUT.forEach((type) => window.addEventListener(type, giveUp, { capture: true, passive: true }));
    return () => USER_INPUT.forEach((type) => window.removeEventListener(type, giveUp, { capture: true }));
  }, [arrival]);

  // After every render: the content grows page by page until it reaches the saved position.
  useLayoutEffect(() => {
    const saved = arrival.saved;
    if (arrival.done || !saved) return;
    const room = document.documentElement.scrollHeight - window.innerHeight;
    const step = restoreStep({ savedY: saved.y, ready, room, canLoadMore, loading });
    if (step.action === 'load-more') loadMore?.();
    if (step.action !== 'scroll') return;
    arrival.done = true;
    arrival.restored = true;
    window.scrollTo(0, step.y);
    const main = document.getElementById('main');
    // Focus was lost with the page left behind (or the router put it on the page while this one loaded).
    const active = document.activeElement;
    if (!arrival.inApp || !main || (active && active !== document.body && active !== main)) return;
    const link = saved.focusHref === null ? undefined : [...main.querySelectorAll('a[href]')].find((a) => a.getAttribute('href') === saved.focusHref);
    (link instanceof HTMLElement ? link : main).focus({ preventScroll: true });
  });
}
