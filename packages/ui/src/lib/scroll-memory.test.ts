import { describe, expect, it } from 'vitest';
import { createScrollMemory, firstReaching, MAX_ENTRIES, type SavedPlace } from './scroll-memory';

/** A tab's history of hash entries, as the browser keeps it: each entry has its own state; Back restores it. */
function fakeTab(options: { storage?: Map<string, string> | null; failWrites?: boolean } = {}) {
  const entries: { state: unknown }[] = [{ state: null }];
  let index = 0;
  let place: SavedPlace = { y: 0, focusHref: null };
  let ids = 0;
  const map = options.storage === undefined ? new Map<string, string>() : options.storage;
  const storage = map && {
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => {
      if (options.failWrites) throw new Error('QuotaExceededError');
      map.set(key, value);
    },
  };
  const history = {
    get state() { return entries[index].state; },
    replaceState(data: unknown) { entries[index].state = structuredClone(data); },
  };
  const memory = createScrollMemory({ storage, history, place: () => place, newId: () => String(++ids) });
  return {
    memory,
    entries: () => entries,
    at: (y: number, focusHref: string | null = null, more: Partial<SavedPlace> = {}) => { place = { y, focusHref, ...more }; },
    /** A link followed: a new entry (null state), then hashchange. */
    push() { entries.splice(index + 1); entries.push({ state: null }); index++; memory.onHashChange(); },
    back() { index--; memory.onHashChange(); },
    forward() { index++; memory.onHashChange(); },
    /** navigate(…, { replace: true }): the same entry, its state kept. */
    replace() { memory.onHashChange(); },
  };
}

describe('scroll memory', () => {
  it('returns, on Back, to the place the entry was left at, with the link that had focus', () => {
    const tab = fakeTab();
    expect(tab.memory.arrival()).toMatchObject({ saved: null, inApp: false, done: false });
    tab.at(14_000, '#/records/public.customer?key=…');
    tab.push(); // opens the record
    expect(tab.memory.arrival()).toMatchObject({ saved: null, inApp: true });
    tab.at(300);
    tab.back();
    expect(tab.memory.arrival()).toMatchObject({ saved: { y: 14_000, focusHref: '#/records/public.customer?key=…' }, inApp: true, restored: false, done: false });
    tab.forward(); // and Forward returns to the record's place
    expect(tab.memory.arrival().saved).toEqual({ y: 300, focusHref: null });
  });

  it('gives every entry its own id in history.state, so a new visit of the same hash starts at the top', () => {
    const tab = fakeTab();
    tab.at(5_000);
    tab.push();
    tab.push(); // e.g. the header's Activity link: the overview again, as a new entry
    expect(tab.memory.arrival().saved).toBeNull();
    const ids = tab.entries().map((e) => (e.state as Record<string, unknown>).rowtrailEntry);
    expect(new Set(ids).size).toBe(3);
  });

  it('treats a replaced entry as the same place: nothing to restore', () => {
    const tab = fakeTab();
    tab.at(800);
    tab.replace();
    expect(tab.memory.arrival()).toMatchObject({ saved: null, done: true });
  });

  it('keeps places across a reload (the entry id lives in history.state, places in sessionStorage)', () => {
    const storage = new Map<string, string>();
    const tab = fakeTab({ storage });
    tab.at(9_000);
    tab.memory.onPageHide();
    const state = tab.entries()[0].state;
    const reloaded = createScrollMemory({
      storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => storage.set(k, v) },
      history: { state, replaceState: () => { throw new Error('the entry already has an id'); } },
      place: () => ({ y: 0, focusHref: null }),
      newId: () => 'x',
    });
    expect(reloaded.arrival()).toMatchObject({ saved: { y: 9_000 }, inApp: false });
  });

  it(`keeps the last ${MAX_ENTRIES} entries' places only`, () => {
    const storage = new Map<string, string>();
    const tab = fakeTab({ storage });
    for (let i = 0; i < MAX_ENTRIES + 20; i++) {
      tab.at(i);
      tab.push();
    }
    const places = JSON.parse(storage.get('rowtrail.scroll')!) as Record<string, SavedPlace>;
    expect(Object.keys(places)).toHaveLength(MAX_ENTRIES);
    expect(Object.values(places).at(-1)!.y).toBe(MAX_ENTRIES + 19);
    expect(Object.values(places)[0].y).toBe(20);
  });

  it('works without storage, or with storage that refuses writes or holds garbage: nothing to restore, no error', () => {
    for (const tab of [fakeTab({ storage: null }), fakeTab({ failWrites: true })]) {
      tab.at(1_000);
      tab.push();
      tab.back();
      expect(tab.memory.arrival().saved).toBeNull();
    }
    const garbage = new Map([['rowtrail.scroll', '{not json']]);
    const tab = fakeTab({ storage: garbage });
    tab.at(1_000);
    tab.push();
    tab.back();
    expect(tab.memory.arrival().saved).toEqual({ y: 1_000, focusHref: null });
  });

  it('keeps what else the entry state holds', () => {
    const tab = fakeTab();
    tab.entries()[0].state = { other: 1, rowtrailEntry: 'e0' };
    tab.at(10);
    tab.push();
    tab.back();
    expect(tab.entries()[0].state).toEqual({ other: 1, rowtrailEntry: 'e0' });
  });

  it('returns the anchor and page count of a list page, and leaves out malformed ones', () => {
    const storage = new Map<string, string>();
    const tab = fakeTab({ storage });
    tab.at(52_000, '#/requests/abc', { anchor: { key: '10070', offset: 120 }, focusIn: '10068', pages: 4 });
    tab.push();
    tab.back();
    expect(tab.memory.arrival().saved).toEqual({ y: 52_000, focusHref: '#/requests/abc', anchor: { key: '10070', offset: 120 }, focusIn: '10068', pages: 4 });

    const places = JSON.parse(storage.get('rowtrail.scroll')!) as Record<string, unknown>;
    const entry = Object.keys(places)[0];
    tab.push(); // leaves the first entry again, then its stored place is damaged
    storage.set('rowtrail.scroll', JSON.stringify({ [entry]: { y: 10, focusHref: null, anchor: { key: 7, offset: 'x' }, focusIn: 'e', pages: 1.5 } }));
    tab.back();
    expect(tab.memory.arrival().saved).toEqual({ y: 10, focusHref: null });
  });
});

describe('firstReaching', () => {
  // Items 100 px tall from y = -1000: bottoms at -900, -800, …
  const bottoms = (count: number) => (i: number) => { if (i < 0 || i >= count) throw new Error(`read ${i}`); return -900 + 100 * i; };

  it('finds the first item whose bottom is below the screen top, reading few of them', () => {
    let reads = 0;
    const counted = (i: number) => { reads++; return bottoms(10_000)(i); };
    expect(firstReaching(10_000, 0, counted)).toBe(10); // bottom at 100: spans the screen top
    expect(reads).toBeLessThanOrEqual(14);
    expect(firstReaching(10_000, -950, bottoms(10_000))).toBe(0);
    expect(firstReaching(10_000, -850, bottoms(10_000))).toBe(1);
  });

  it('gives the count when every item is above the top, and 0 for no items', () => {
    expect(firstReaching(5, 0, bottoms(5))).toBe(5);
    expect(firstReaching(0, 0, bottoms(0))).toBe(0);
  });
});
