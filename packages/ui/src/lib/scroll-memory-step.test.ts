import { describe, expect, it } from 'vitest';
import { placeStep } from './scroll-memory-step';

describe('placeStep', () => {
  const anchor = { key: '10070', offset: 120 };
  const base = { saved: { y: 14_000 }, ready: true, room: 20_000, canLoadMore: true, loading: false, anchorTop: null, anchorLoaded: false };

  it('waits for the content', () => {
    expect(placeStep({ ...base, ready: false, saved: { y: 14_000, anchor, pages: 4 } })).toEqual({ action: 'wait' });
  });

  it('without an anchor, returns to the saved position as the feed does (loading pages until the page is that long)', () => {
    expect(placeStep(base)).toEqual({ action: 'scroll', y: 14_000 });
    expect(placeStep({ ...base, room: 3_000 })).toEqual({ action: 'load-more' });
    expect(placeStep({ ...base, room: 3_000, loading: true })).toEqual({ action: 'wait' });
    expect(placeStep({ ...base, room: 3_000, canLoadMore: false })).toEqual({ action: 'scroll', y: 3_000 });
  });

  it('loads every page that was loaded before, even when the page is long enough already', () => {
    const saved = { y: 14_000, anchor, pages: 4 };
    expect(placeStep({ ...base, saved, pages: 1, anchorTop: 300 })).toEqual({ action: 'load-more' });
    expect(placeStep({ ...base, saved, pages: 3, loading: true })).toEqual({ action: 'wait' });
    expect(placeStep({ ...base, saved, pages: 4, anchorTop: -120 })).toEqual({ action: 'in-place' });
    // Fewer pages now than then (the request changed less than before?): what there is will do.
    expect(placeStep({ ...base, saved, pages: 2, canLoadMore: false, anchorTop: -120 })).toEqual({ action: 'in-place' });
  });

  it('puts the anchor back as far above the screen top as it was, within a pixel', () => {
    const saved = { y: 14_000, anchor };
    expect(placeStep({ ...base, saved, anchorTop: 64 })).toEqual({ action: 'correct', by: 184 });
    expect(placeStep({ ...base, saved, anchorTop: -500 })).toEqual({ action: 'correct', by: -380 });
    expect(placeStep({ ...base, saved, anchorTop: -120.6 })).toEqual({ action: 'in-place' });
    expect(placeStep({ ...base, saved: { y: 0, anchor: { key: 'a', offset: -640 } }, anchorTop: 640 })).toEqual({ action: 'in-place' });
  });

  it('renders an anchor that is loaded but not on screen (a virtualized list), and loads pages until it is loaded', () => {
    const saved = { y: 14_000, anchor };
    expect(placeStep({ ...base, saved, anchorLoaded: true })).toEqual({ action: 'reveal' });
    expect(placeStep({ ...base, saved, room: 90_000 })).toEqual({ action: 'load-more' });
    expect(placeStep({ ...base, saved, room: 90_000, loading: true })).toEqual({ action: 'wait' });
  });

  it('falls back to the saved position when the anchor is gone', () => {
    expect(placeStep({ ...base, saved: { y: 14_000, anchor }, canLoadMore: false })).toEqual({ action: 'scroll', y: 14_000 });
  });
});
