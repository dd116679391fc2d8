/**
 * Characters a value may hold that a reader cannot see, found so they can be shown as markers. A direction control such
 * as U+202E (right-to-left override) reorders the text after it, so 'bruno\u202Emoc.elpmaxe@' reads as
 * "bruno@example.com"; a zero-width space makes two equal-looking texts differ; a trailing space makes
 * "Chloé Dubois → Chloé Dubois" a change. A support engineer must see that a value is not what it seems to be.
 */
export type TextPart =
  | { kind: 'text'; text: string }
  /** An invisible or format-control character: shown as its code point, named for screen readers. */
  | { kind: 'control'; char: string; shown: string; label: string }
  /** A whitespace character (or CR LF) at the start or end of the value (or in a change of whitespace only). */
  | { kind: 'space'; char: string; shown: string; label: string };

const CONTROL_NAMES: Record<number, string> = {
  0x00ad: 'soft hyphen', 0x061c: 'Arabic letter mark', 0x180e: 'Mongolian vowel separator',
  0x200b: 'zero-width space', 0x200c: 'zero-width non-joiner', 0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark', 0x200f: 'right-to-left mark',
  0x202a: 'left-to-right embedding', 0x202b: 'right-to-left embedding', 0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override', 0x202e: 'right-to-left override',
  0x2060: 'word joiner', 0x2066: 'left-to-right isolate', 0x2067: 'right-to-left isolate', 0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate', 0xfeff: 'zero-width no-break space (byte order mark)',
};

/**
 * Invisible characters: C0 and C1 controls (but tab and line breaks, which read as whitespace), DEL, the bidirectional
 * controls and marks, zero-width characters, invisible operators and interlinear annotation marks.
 */
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/;
/** A carriage return is a line break in a CRLF pair, a hidden character alone. */
const LONE_CR = /\r(?!\n)/;

function isInvisible(text: string, i: number): boolean {
  const char = text[i];
  if (char === '\r') return text[i + 1] !== '\n';
  return INVISIBLE.test(char) && !(char === '\u200d' && joinsEmoji(text, i));
}

/**
 * The whitespace with a marker of its own. Every other whitespace character (an em space, a narrow no-break space…) is
 * shown as its code point: a marker shared by several characters would make 'a\u2003' → 'a ' read "a· → a·".
 */
const SPACE_SHOWN: Record<string, [string, string]> = {
  ' ': ['·', 'space'], '\t': ['⇥', 'tab'], '\n': ['↵', 'line break'], '\r\n': ['␍␊', 'carriage return and line feed'],
  '\u00a0': ['⍽', 'no-break space'],
};

const SPACE_NAMES: Record<number, string> = {
  0x1680: 'Ogham space mark', 0x2000: 'en quad', 0x2001: 'em quad', 0x2002: 'en space', 0x2003: 'em space',
  0x2004: 'three-per-em space', 0x2005: 'four-per-em space', 0x2006: 'six-per-em space', 0x2007: 'figure space',
  0x2008: 'punctuation space', 0x2009: 'thin space', 0x200a: 'hair space', 0x2028: 'line separator',
  0x2029: 'paragraph separator', 0x202f: 'narrow no-break space', 0x205f: 'medium mathematical space', 0x3000: 'ideographic space',
};

const codePoint = (char: string) => `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** A zero-width joiner inside an emoji sequence (👨‍👩‍👧) is part of the emoji, not a hidden character. */
function joinsEmoji(text: string, i: number): boolean {
  const before = text.slice(Math.max(0, i - 4), i).replace(/(\ufe0f|\ud83c[\udffb-\udfff])+$/, '');
  return /\p{Extended_Pictographic}$/u.test(before) && /^\p{Extended_Pictographic}/u.test(text.slice(i + 1, i + 3));
}

function controlPart(char: string): TextPart {
  const name = CONTROL_NAMES[char.charCodeAt(0)] ?? 'control character';
  return { kind: 'control', char, shown: `⟨${codePoint(char)}⟩`, label: `hidden character ${codePoint(char)}, ${name}` };
}

function spacePart(char: string): TextPart {
  const known = SPACE_SHOWN[char];
  if (known) return { kind: 'space', char, shown: known[0], label: known[1] };
  const name = SPACE_NAMES[char.charCodeAt(0)];
  return { kind: 'space', char, shown: `⟨${codePoint(char)}⟩`, label: `whitespace ${codePoint(char)}${name ? `, ${name}` : ''}` };
}

/**
 * How many whitespace characters (\s) the text starts and ends with. trimStart and trimEnd remove the same characters
 * as \s matches (WhiteSpace and LineTerminator), in one pass: /\s*$/ would try every position of a long run of
 * spaces in turn, in time quadratic in its length (seconds for 100,000 spaces in the middle of a value).
 */
const leadingSpace = (text: string) => text.length - text.trimStart().length;
const trailingSpace = (text: string) => text.length - text.trimEnd().length;

export interface MarkOptions {
  /** Mark the whitespace the text starts with (false for a piece in the middle of a value). */
  start?: boolean;
  /** Mark the whitespace the text ends with (false for a preview cut short). */
  end?: boolean;
  /** Mark every whitespace character: the two sides of a change differ only in whitespace. */
  allSpace?: boolean;
  /**
   * Mark the whitespace inside the text that cannot be told apart from a space, or from nothing: line breaks, tabs,
   * runs of spaces and any whitespace character other than a space. For the text a word diff shows removed or added,
   * where that whitespace is part of what changed (a line break removed, a second space added); a single space between
   * two words stays a space.
   */
  inner?: boolean;
}

/** Whitespace that `inner` marks: other than a space, or a space next to more whitespace. */
const INNER_SPACE = /[^\S ]| {2}/;
const innerSpace = (text: string, i: number) =>
  text[i] !== ' ' || /\s/.test(text[i - 1] ?? '') || /\s/.test(text[i + 1] ?? '');

/** The text cut into runs of ordinary text and markers. Ordinary text stays one piece, so copying and searching it still work. */
export function markText(text: string, { start = true, end = true, allSpace = false, inner = false }: MarkOptions = {}): TextPart[] {
  const lead = start ? leadingSpace(text) : 0;
  const trail = end ? trailingSpace(text) : 0;
  if (lead === 0 && trail === 0 && !allSpace && !(inner && INNER_SPACE.test(text)) && !INVISIBLE.test(text) && !LONE_CR.test(text)) {
    return text === '' ? [] : [{ kind: 'text', text }];
  }
  const parts: TextPart[] = [];
  let run = '';
  const flush = () => { if (run) parts.push({ kind: 'text', text: run }); run = ''; };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (isInvisible(text, i)) {
      flush();
      parts.push(controlPart(char));
    } else if (/\s/.test(char) && (allSpace || i < lead || i >= text.length - trail || (inner && innerSpace(text, i)))) {
      flush();
      // CR LF is one line break, with a marker of its own: two markers of a line break would read as LF LF.
      // (a carriage return that gets here is followed by a line feed: a lone one is a hidden character)
      if (char === '\r') { parts.push(spacePart('\r\n')); i++; }
      else parts.push(spacePart(char));
    } else run += char;
  }
  flush();
  return parts;
}
