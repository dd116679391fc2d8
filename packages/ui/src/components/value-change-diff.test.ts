import { describe, expect, it } from 'vitest';
import { commonEnds, textChange } from './value-change-diff';

/** The old and new text put back together from the pieces: nothing lost, nothing invented. */
const rebuild = (segments: { kind: string; text: string }[]) => ({
  old: segments.filter((s) => s.kind !== 'added').map((s) => s.text).join(''),
  next: segments.filter((s) => s.kind !== 'removed').map((s) => s.text).join(''),
});

describe('commonEnds', () => {
  it('counts the start and the end of the text as word boundaries', () => {
    expect(commonEnds('w1 w2 w3', 'w4 w2 w5')).toEqual({ prefix: 0, suffix: 0 });
  });

  it('keeps whole words out of the changed region', () => {
    const old = 'the grinder has steel burrs and a timer';
    const next = 'the grinder has stainless burrs and a timer';
    const { prefix, suffix } = commonEnds(old, next);
    expect(old.slice(0, prefix)).toBe('the grinder has ');
    expect(old.slice(old.length - suffix)).toBe(' burrs and a timer');
  });

  it('never cuts an emoji in half', () => {
    // 😀 and 😁 share their first UTF-16 unit, 😀 and 🙀 their second
    for (const [old, next] of [['a 😀', 'a 😁'], ['😀 b', '🙀 b'], ['x😀y', 'x😁y']]) {
      const { prefix, suffix } = commonEnds(old, next);
      expect(old.slice(0, prefix)).not.toMatch(/[\ud800-\udbff]$/);
      expect(old.slice(old.length - suffix)).not.toMatch(/^[\udc00-\udfff]/);
    }
    expect(commonEnds('a 😀', 'a 😁').prefix).toBe(2);
  });

  it('does not let the common start and end overlap (a repeated word inserted)', () => {
    const { prefix, suffix } = commonEnds('aaa', 'aaaa');
    expect(prefix + suffix).toBeLessThanOrEqual(3);
  });
});

describe('textChange', () => {
  it('splits a change into unchanged, removed and added pieces that rebuild both texts', () => {
    const cases: [string, string][] = [
      ['the grinder has steel burrs', 'the grinder has ceramic burrs'],
      ['a b c d e f', 'a c d x f'],
      ['same start, new end', 'same start, another end entirely'],
      ['', 'added from nothing'],
      ['emoji 😀 here', 'emoji 😁 here'],
      ['status is good, the grinder has steel burrs', 'status is  good, the grinder has ceramic burrs'],
      ['5 Main St\nDo NOT ship before the 5th', '5 Main Street Do NOT ship before the 6th'],
      ['line one\nline two\tand a tab, steel', 'line one line two and a tab, ceramic'],
      ['crlf\r\nline, steel', 'crlf\nline, ceramic'],
    ];
    for (const [old, next] of cases) {
      const { segments } = textChange(old, next);
      // whitespace is text: the unchanged pieces are the old text's as much as the new one's
      expect(rebuild(segments)).toEqual({ old, next });
    }
  });

  it('sees a change of whitespace or of line breaks as a change, not as unchanged text', () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(20);
    const changed = (old: string, next: string) => textChange(old, next).segments.filter((s) => s.kind !== 'same');
    // two spaces for one, near a change of a word: the region between them is word-diffed
    expect(changed(`status is good, ${filler}steel`, `status is  good, ${filler}ceramic`)).toContainEqual({ kind: 'added', text: ' ' });
    // a line break that became a space
    const breaks = changed(`5 Main St\nDo NOT ship, ${filler}steel`, `5 Main St Do NOT ship, ${filler}ceramic`);
    expect(breaks).toContainEqual({ kind: 'removed', text: '\n' });
    expect(breaks).toContainEqual({ kind: 'added', text: ' ' });
    // a change of whitespace only, too
    expect(changed(`${filler}\nDo NOT ship`, `${filler} Do NOT ship`)).toEqual([{ kind: 'removed', text: '\n' }, { kind: 'added', text: ' ' }]);
  });

  it('word-diffs only the region between the common start and end of a long text', () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(8000); // 216 KB
    const { segments, reason } = textChange(`${filler}steel burrs ${filler}`, `${filler}ceramic burrs ${filler}`);
    expect(reason).toBeUndefined();
    expect(segments.map((s) => s.kind)).toEqual(['same', 'removed', 'added', 'same']);
    expect(segments[1].text).toBe('steel');
    expect(segments[2].text).toBe('ceramic');
  });
});
