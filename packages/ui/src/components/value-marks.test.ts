import { describe, expect, it } from 'vitest';
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
