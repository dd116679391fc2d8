import { sessionStore } from './session-store';

/**
 * Where the user was on each page of the tab's history, so Back and Forward return there. Every route is a hash of one
 * document: the browser's own scroll restoration runs when the hash changes, before React has rendered the page it
 * returns to (a feed of 400 items), and lands at the top. So each history entry gets an id (kept in `history.state`,
 * which lives as long as the entry, across reloads), its position is saved when the user leaves it (in
 * `sessionStorage`, per tab), and the page restores it once its content is back (lib/use-scroll-restoration.ts).
 * Per entry, not per hash: opening the overview again from a link is a new visit, at the top; only Back and Forward
 * (or a reload) return to a place. Pages whose content is not where a position says once back (a virtualized list, a
 * paged list grouped by table) also remember the item at the top of the screen and how many pages they had loaded.
 */

/**
 * What is remembered of an entry: the scroll position and the link that had keyboard focus (the one followed); on pages
 * whose items carry `data-scroll-anchor`, the item at the top of the screen and how far it was scrolled past, and on
 * paged lists how many pages were loaded. The anchor survives what a position does not: a virtualized list whose row
 * heights are estimates until rendered, or pages grouped so that a later page adds rows above earlier ones.
 */
export interface SavedPlace {
  y: number;
  focusHref: string | null;
  anchor?: ScrollAnchor;
  /** The anchor item holding the focused link: many may link to the same page (every version of a job, to its request). */
  focusIn?: string;
  pages?: number;
}

/** An item of the page (its `data-scroll-anchor` value) and how many pixels the screen's top was below its top. */
export interface ScrollAnchor {
  key: string;
  offset: number;
}

/** What the page on screen adds to its place: how many pages of its list are loaded (lib/use-scroll-restoration.ts). */
export type PlaceDetails = Pick<SavedPlace, 'pages'>;

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

/** A stored place as the page can use it: a malformed anchor or page count (storage is the user's) is left out. */
function validPlace(saved: SavedPlace): SavedPlace {
  const place: SavedPlace = { y: saved.y, focusHref: typeof saved.focusHref === 'string' ? saved.focusHref : null };
  const anchor: unknown = saved.anchor;
  if (anchor && typeof anchor === 'object') {
    const { key, offset } = anchor as Record<string, unknown>;
    if (typeof key === 'string' && typeof offset === 'number' && Number.isFinite(offset)) place.anchor = { key, offset };
  }
  if (typeof saved.focusIn === 'string' && place.focusHref !== null) place.focusIn = saved.focusIn;
  if (typeof saved.pages === 'number' && Number.isInteger(saved.pages) && saved.pages > 0) place.pages = saved.pages;
  return place;
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
    return { entry, saved: valid ? validPlace(saved) : null, inApp, restored: false, done: false };
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
let details: (() => PlaceDetails) | null = null;

/**
 * Lets the page on screen add to the place saved when the user leaves it (its loaded pages). Returns the function that
 * withdraws it. The page left is still mounted when its place is saved: the hashchange listener runs before React's.
 */
export function describePlace(describe: () => PlaceDetails): () => void {
  details = describe;
  return () => {
    if (details === describe) details = null;
  };
}

/**
 * The index of the first of `count` items, laid out top to bottom, whose bottom is below `top` (`bottomOf(i)`: the
 * item's bottom edge); `count` when none is. A binary search: a request page may hold 10,000 items.
 */
export function firstReaching(count: number, top: number, bottomOf: (index: number) => number): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (bottomOf(middle) > top) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The page's item at the top of the screen (below it when the page's top is on screen), if its items are anchors. */
function anchorOnScreen(): ScrollAnchor | undefined {
  const anchors = document.getElementById('main')?.querySelectorAll<HTMLElement>('[data-scroll-anchor]');
  if (!anchors || anchors.length === 0) return undefined;
  const index = firstReaching(anchors.length, 0, (i) => anchors[i].getBoundingClientRect().bottom);
  const element = anchors[Math.min(index, anchors.length - 1)];
  return { key: element.dataset.scrollAnchor!, offset: Math.round(-element.getBoundingClientRect().top) };
}

/** The anchor whose key is `key`, when the page has it on screen (rendered). */
export function findAnchor(key: string): HTMLElement | null {
  return document.getElementById('main')?.querySelector<HTMLElement>(`[data-scroll-anchor="${CSS.escape(key)}"]`) ?? null;
}

/** The link inside the page (not the header) that has keyboard focus, as its href attribute, and the anchor item holding it. */
function focusedLink(): Pick<SavedPlace, 'focusHref' | 'focusIn'> {
  const active = document.activeElement;
  const link = active instanceof HTMLAnchorElement && document.getElementById('main')?.contains(active) ? active : null;
  const focusIn = link?.closest<HTMLElement>('[data-scroll-anchor]')?.dataset.scrollAnchor;
  return { focusHref: link?.getAttribute('href') ?? null, ...(focusIn !== undefined ? { focusIn } : {}) };
}

/**
 * Starts remembering, for the whole page. Call it before React renders: its hashchange listener must run before
 * React's, while the page being left is still on screen (scrolled where the user left it, its link still focused).
 */
export function installScrollMemory(): void {
  if (memory) return;
  history.scrollRestoration = 'manual'; // the browser's would jump before the page is rendered, then fight this one
  memory = createScrollMemory({
    storage: sessionStore(),
    history: window.history,
    place: () => {
      const anchor = anchorOnScreen();
      return { y: Math.round(window.scrollY), ...focusedLink(), ...(anchor ? { anchor } : {}), ...details?.() };
    },
    newId: () => crypto.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`,
  });
  window.addEventListener('hashchange', () => memory!.onHashChange());
  window.addEventListener('pagehide', () => memory!.onPageHide());
}

/** The current arrival; a done one when the memory is not installed (tests, server rendering): nothing to restore. */
export function currentArrival(): Arrival {
  return memory?.arrival() ?? { entry: '', saved: null, inApp: false, restored: false, done: true };
}
