import { describe, expect, it } from 'vitest';
import { restoreStep } from './restore-step';

describe('restoreStep', () => {
  const base = { savedY: 14_000, ready: true, room: 20_000, canLoadMore: true, loading: false };

  it('waits for the content', () => {
    expect(restoreStep({ ...base, ready: false })).toEqual({ action: 'wait' });
  });

  it('scrolls to the saved place once the content reaches it', () => {
    expect(restoreStep(base)).toEqual({ action: 'scroll', y: 14_000 });
  });

  it('loads more first when the content does not reach that far yet, one page at a time', () => {
    expect(restoreStep({ ...base, room: 3_000 })).toEqual({ action: 'load-more' });
    expect(restoreStep({ ...base, room: 3_000, loading: true })).toEqual({ action: 'wait' });
  });

  it('goes as far as the page goes when nothing more can load', () => {
    expect(restoreStep({ ...base, room: 3_000, canLoadMore: false })).toEqual({ action: 'scroll', y: 3_000 });
    expect(restoreStep({ ...base, room: -50, canLoadMore: false })).toEqual({ action: 'scroll', y: 0 });
  });
});
