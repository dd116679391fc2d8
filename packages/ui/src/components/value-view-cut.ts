/** How far a cut may move to fall between words instead of inside one. */
const WORD_SNAP = 40;

const isSpace = (text: string, i: number) => /\s/.test(text[i] ?? '');
const isLowSurrogate = (text: string, i: number) => { const c = text.charCodeAt(i); return c >= 0xdc00 && c <= 0xdfff; };

/**
 * About the first `length` characters of a text, for a preview: cut after a word when a space is near, and never
 * between the two halves of an emoji (a surrogate pair), which would show as a broken character.
 */
export function headOf(text: string, length: number): string {
  if (text.length <= length) return text;
  let end = length;
  for (let i = end; i > 0 && i >= length - WORD_SNAP; i--) if (isSpace(text, i)) { end = i; break; }
  if (isLowSurrogate(text, end)) end--;
  return text.slice(0, end);
}

/** About the last `length` characters of a text, starting at a word when a space is near; see headOf. */
export function tailOf(text: string, length: number): string {
  if (text.length <= length) return text;
  let start = text.length - length;
  for (let i = start; i < text.length && i <= text.length - length + WORD_SNAP; i++) if (isSpace(text, i - 1)) { start = i; break; }
  if (isLowSurrogate(text, start)) start++;
  return text.slice(start);
}
