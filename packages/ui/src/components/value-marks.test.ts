import { describe, expect, it } from 'vitest';
import { countRegexWork, mayRetryAtEveryPlace, type RegexWork } from '../lib/regex-work.test-support';
import { markText } from './value-marks';

/** The parts as one line: markers in brackets. */
const shown = (text: string, options = {}) => markText(text, options).map((p) => (p.kind === 'text' ? p.text : `[${p.shown}]`)).join('');

describe('markText', () => {
  it('keeps a text without hidden characters or edge whitespace as one piece', () => {
    expect(markText('bruno.costa@example.com')).toEqual([{ kind: 'text', text: 'bruno.costa@example.com' }]);
    expect(markText('a  b\tc\nd')).toEqual([{ kind: 'text', text: 'a  b\tc\nd' }]); // inner whitespace is the text's
  });

  it('replaces every direction control, zero-width and control character by its code point', () => {
    const hidden = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F',
      '\u061C', '\u200B', '\u200C', '\u200D', '\uFEFF', '\u0000', '\u001B', '\u007F', '\u0085', '\u009B'];
    for (const char of hidden) {
      const parts = markText(`a${char}b`);
      expect(parts.map((p) => p.kind)).toEqual(['text', 'control', 'text']);
      expect(parts[1]).toMatchObject({ char, shown: `⟨U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩` });
    }
    expect(markText('bruno\u202Emoc.elpmaxe@')[1]).toMatchObject({ label: 'hidden character U+202E, right-to-left override' });
  });

  it('leaves tabs, line breaks (CRLF too) and emoji joined by a zero-width joiner as they are', () => {
    expect(shown('a\tb\r\nc\nd')).toBe('a\tb\r\nc\nd');
    expect(shown('a\rb')).toBe('a[⟨U+000D⟩]b');
    expect(shown('family 👨‍👩‍👧 and 👍🏽‍♂')).not.toContain('U+200D');
    expect(shown('x\u200Dy')).toBe('x[⟨U+200D⟩]y');
  });

  it('marks whitespace at the start and the end, or all of it in a change of whitespace only', () => {
    expect(shown('Chloé Dubois ')).toBe('Chloé Dubois[·]');
    expect(shown(' \ta\u00A0')).toBe('[·][⇥]a[⍽]');
    expect(shown('   ')).toBe('[·][·][·]');
    expect(shown('a  b', { allSpace: true })).toBe('a[·][·]b');
    expect(shown(' a ', { start: false, end: false })).toBe(' a ');
    expect(markText(' x ')[0]).toMatchObject({ kind: 'space', label: 'space' });
  });
});

describe('markText of long whitespace runs', () => {
  // The edges are found in one pass: a backtracking /\s*$/ took seconds on 80,000 spaces. Counted, not timed: a bounded
  // number of regex runs per character, and none over the whole value that may retry at every place of a run.
  const linear = ({ runs, overLongText }: RegexWork<unknown>, length: number) => {
    expect(overLongText.filter(mayRetryAtEveryPlace)).toEqual([]);
    expect(overLongText.length).toBeLessThanOrEqual(4); // whole-value checks, not one per character
    expect(runs).toBeLessThanOrEqual(3 * length);
  };

  it('marks a value of 200,000 spaces and an x, in work linear in its length', () => {
    const text = `${' '.repeat(200_000)}x`;
    const work = countRegexWork(() => markText(text));
    expect(work.result).toHaveLength(200_001);
    expect(work.result[199_999]).toMatchObject({ kind: 'space', char: ' ' });
    expect(work.result[200_000]).toEqual({ kind: 'text', text: 'x' });
    linear(work, text.length);
  });

  it('keeps a value with 100,000 spaces inside it as one piece, in work linear in its length', () => {
    const text = `x${' '.repeat(100_000)}x`;
    const work = countRegexWork(() => markText(text));
    expect(work.result).toEqual([{ kind: 'text', text }]);
    linear(work, text.length);
    const ending = countRegexWork(() => markText(`${text}\u2003`));
    expect(ending.result.at(-1)).toMatchObject({ kind: 'space', char: '\u2003' });
    linear(ending, text.length + 1);
  });
});

describe('markText of whitespace other than spaces, tabs and line breaks', () => {
  it('shows each other whitespace character as its code point, so two of them cannot read alike', () => {
    expect(shown('a\u2003')).toBe('a[⟨U+2003⟩]');
    expect(shown('a\u202F')).toBe('a[⟨U+202F⟩]');
    expect(shown('a ')).not.toBe(shown('a\u2003'));
    expect(markText('a\u2003')[1]).toMatchObject({ kind: 'space', label: 'whitespace U+2003, em space' });
    expect(markText('a\u3000')[1]).toMatchObject({ label: 'whitespace U+3000, ideographic space' });
    expect(shown('a b', { allSpace: true })).toBe('a[·]b'); // a space is still ·
    expect(shown('a\u2009b', { allSpace: true })).toBe('a[⟨U+2009⟩]b');
  });

  it('shows CR LF as one line break of its own, not as two line feeds', () => {
    expect(shown('a\r\n')).toBe('a[␍␊]');
    expect(shown('a\n\n')).toBe('a[↵][↵]');
    expect(shown('a\r\n')).not.toBe(shown('a\n\n'));
    expect(markText('a\r\n')[1]).toEqual({ kind: 'space', char: '\r\n', shown: '␍␊', label: 'carriage return and line feed' });
    expect(shown('\r\n\r\nx\n\r\n')).toBe('[␍␊][␍␊]x[↵][␍␊]');
    expect(shown('a\r\nb', { allSpace: true })).toBe('a[␍␊]b');
    expect(shown('a\r\n\r')).toBe('a[␍␊][⟨U+000D⟩]'); // a lone CR is still a hidden character
  });
});

describe('markText of removed or added text (inner)', () => {
  it('marks line breaks, tabs, runs of spaces and other whitespace inside it, not a single space between words', () => {
    expect(shown('St\n', { inner: true, end: false })).toBe('St[↵]');
    expect(shown('a\r\nb c\td  e\u00a0f', { inner: true })).toBe('a[␍␊]b c[⇥]d[·][·]e[⍽]f');
    expect(shown('conical ceramic', { inner: true })).toBe('conical ceramic');
    expect(markText('conical ceramic', { inner: true })).toEqual([{ kind: 'text', text: 'conical ceramic' }]);
    expect(shown('a \nb', { inner: true })).toBe('a[·][↵]b'); // a space before a line break is not one between words
    expect(shown('Street ', { inner: true, end: false })).toBe('Street '); // a piece's edge: the next word follows it
  });
});
