/**
 * Where the user was on each page of the tab's history, so Back and Forward return there. Every route is a hash of one
 * document: the browser's own scroll restoration runs when the hash changes, before React has rendered the page it
 * returns to (a feed of 400 items), and lands at the top. So each history entry gets an id (kept in `history.state`,
 * which lives as long as the entry, across reloads), its position is saved when the user leaves it (in
 * `sessionStorage`, per tab), and the page restores it once its content is back (lib/use-scroll-restoration.ts).
 * Per entry, not per hash: opening the overview again from a link is a new visit, at the top; only Back and Forward
 * (or a reload) return to a place.
 */

/** What is remembered of an entry: the scroll position and the link that had keyboard focus (the one followed). */
export interface SavedPlace {
  y: number;
  focusHref: string | null;
}

/** The arrival on the current history entry, and what happened to its saved place. */
export interface Arrival {
  entry: string;
  /** Where the user was when they last left this entry; null for a new entry. */
  saved: SavedPlace | null;
  /** Reached by navigating inside the dashboard (not the page's first load): focus moves with the page. */
  inApp: boolean;
  /** The page restored the place (scroll and focus): the router leaves both alone. */
  restored: boolean;
  /** Nothing more to do: restored, or given up because the user scrolled, clicked or typed meanwhile. */
  done: boolean;
}

/** The browser pieces the memory uses, injectable so its logic can be tested without a DOM. */
export interface ScrollMemoryHost {
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  history: { readonly state: unknown; replaceState(data: unknown, unused: string): void };
  place(): SavedPlace;
  newId(): string;
}

const STORAGE_KEY = 'rowtrail.scroll';
const STATE_KEY = 'rowtrailEntry';
/** Enough for any session's Back button; the oldest positions go first. */
export const MAX_ENTRIES = 100;

export interface ScrollMemory {
  /** The hash changed: save the place being left, then find (or give an id to) the entry arrived at. */
  onHashChange(): void;
  /** The page is going away (reload, another site): save the place, for a reload or a Back from elsewhere. */
  onPageHide(): void;
  arrival(): Arrival;
}

export function createScrollMemory(host: ScrollMemoryHost): ScrollMemory {
  const read = (): Record<string, SavedPlace> => {
    try {
      const value: unknown = JSON.parse(host.storage?.getItem(STORAGE_KEY) ?? '{}');
      return value && typeof value === 'object' ? (value as Record<string, SavedPlace>) : {};
    } catch {
      return {}; // unreadable: start afresh rather than fail the page
    }
  };
  const save = (entry: string, place: SavedPlace) => {
    const places = read();
    delete places[entry]; // re-inserted last: the most recently left entry is the last to be dropped
    places[entry] = place;
    const entries = Object.keys(places);
    for (const old of entries.slice(0, Math.max(0, entries.length - MAX_ENTRIES))) delete places[old];
    try {
      host.storage?.setItem(STORAGE_KEY, JSON.stringify(places));
    } catch {
      // storage full or disabled: Back lands at the top, as before
    }
  };
  // The entry's id, given to it on first sight. Ids are not integer-like, so stored keys keep their insertion order.
  const entryId = (): string => {
    const state = host.history.state;
    const existing = state && typeof state === 'object' ? (state as Record<string, unknown>)[STATE_KEY] : undefined;
    if (typeof existing === 'string') return existing;
    const id = `e${host.newId()}`;
    host.history.replaceState({ ...(state && typeof state === 'object' ? state : {}), [STATE_KEY]: id }, '');
    return id;
  };
  const arriveAt = (entry: string, inApp: boolean): Arrival => {
    const saved = read()[entry];
    const valid = saved && typeof saved.y === 'number' && Number.isFinite(saved.y);
    return { entry, saved: valid ? { y: saved.y, focusHref: typeof saved.focusHref === 'string' ? saved.focusHref : null } : null, inApp, restored: false, done: false };
  };

  let current = arriveAt(entryId(), false);
  return {
    onHashChange() {
      const left = current.entry;
      save(left, host.place());
      const entry = entryId();
      // A replaced entry (the record page's view changes) is the same place: nothing to return to.
      current = entry === left ? { ...current, saved: null, done: true } : arriveAt(entry, true);
    },
    onPageHide() {
      save(current.entry, host.place());
    },
    arrival: () => current,
  };
}

let memory: ScrollMemory | null = null;

/** The link inside the page (not the header) that has keyboard focus, as its href attribute. */
function focusedHref(): string | null {
  const active = document.activeElement;
  const link = active instanceof HTMLAnchorElement && document.getElementById('main')?.contains(active) ? active : null;
  return link?.getAttribute('href') ?? null;
}

/**
 * Starts remembering, for the whole page. Call it before React renders: its hashchange listener must run before
 * React's, while the page being left is still on screen (scrolled where the user left it, its link still focused).
 */
export function installScrollMemory(): void {
  if (memory) return;
  history.scrollRestoration = 'manual'; // the browser's would jump before the page is rendered, then fight this one
  memory = createScrollMemory({
    storage: (() => {
      try {
        return window.sessionStorage;
      } catch {
        return null;
      }
    })(),
    history: window.history,
    place: () => ({ y: Math.round(window.scrollY), focusHref: focusedHref() }),
    newId: () => crypto.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`,
  });
  window.addEventListener('hashchange', () => memory!.onHashChange());
  window.addEventListener('pagehide', () => memory!.onPageHide());
}

/** The current arrival; a done one when the memory is not installed (tests, server rendering): nothing to restore. */
export function currentArrival(): Arrival {
  return memory?.arrival() ?? { entry: '', saved: null, inApp: false, restored: false, done: true };
}
