import { diffWordsWithSpace } from 'diff';

/** A changed region longer than this is not word-diffed: tokenizing it would take too long for a page of 50 events. */
export const WORD_DIFF_MAX_CHARS = 10_000;
/**
 * Word diffs cost time in proportion to how much changed; regions that differ by more words, runs of whitespace and
 * punctuation marks (removed or added) than this are not word-diffed. The diff sees whitespace: a word inserted with
 * its space counts two.
 */
export const WORD_DIFF_MAX_EDITS = 150;
/** How far a cut may move to fall between words instead of inside one. */
const WORD_SNAP = 40;

export type TextSegment = { kind: 'same' | 'removed' | 'added'; text: string };

/**
 * old → new as unchanged, removed and added pieces, in reading order: the unchanged pieces are both texts' own, whitespace
 * and line breaks included. `reason` says why the changed region was not word-diffed (it is then one removed and one
 * added piece between the unchanged start and end).
 */
export interface TextChange {
  segments: TextSegment[];
  reason?: 'tooLong' | 'tooDifferent';
}

const isSpace = (text: string, i: number) => /\s/.test(text[i] ?? '');
const isHighSurrogate = (text: string, i: number) => { const c = text.charCodeAt(i); return c >= 0xd800 && c <= 0xdbff; };
const isLowSurrogate = (text: string, i: number) => { const c = text.charCodeAt(i); return c >= 0xdc00 && c <= 0xdfff; };

/**
 * The lengths of the common start and end of two texts, found in one pass over them (cheap even for a 228 KB text),
 * moved back so that neither cuts a word (when a space is near) nor an emoji's surrogate pair. Only what lies between
 * them needs a word diff: a 15-character edit in the middle of a long text is then diffed as a few words, not as the
 * whole text.
 */
export function commonEnds(old: string, next: string): { prefix: number; suffix: number } {
  const max = Math.min(old.length, next.length);
  let prefix = 0;
  while (prefix < max && old.charCodeAt(prefix) === next.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && old.charCodeAt(old.length - 1 - suffix) === next.charCodeAt(next.length - 1 - suffix)) suffix++;

  if (prefix > 0 && isHighSurrogate(old, prefix - 1)) prefix--;
  if (suffix > 0 && isLowSurrogate(old, old.length - suffix)) suffix--;
  // Start the changed region at the start of a word, end it at the end of one, so the word diff sees whole words.
  if (prefix > 0 && !isSpace(old, prefix - 1)) {
    // The start of the text counts as the start of a word.
    for (let i = prefix - 1; i >= 0 && i >= prefix - WORD_SNAP; i--) if (i === 0 || isSpace(old, i - 1)) { prefix = i; break; }
  }
  const end = old.length - suffix;
  if (suffix > 0 && !isSpace(old, end)) {
    for (let i = end + 1; i <= old.length && i <= end + WORD_SNAP; i++) if (i === old.length || isSpace(old, i)) { suffix = old.length - i; break; }
  }
  return { prefix, suffix };
}

/**
 * The change from old to new text: its common start and end kept whole, the region between them word-diffed when that
 * stays cheap. The word diff sees whitespace (each run of it, each line break, is a token of its own): diffWords ignores
 * it, so 'is good' → 'is  good' or a line break that became a space next to another change read as unchanged text.
 */
export function textChange(old: string, next: string): TextChange {
  const { prefix, suffix } = commonEnds(old, next);
  const removed = old.slice(prefix, old.length - suffix);
  const added = next.slice(prefix, next.length - suffix);
  const start: TextSegment = { kind: 'same', text: old.slice(0, prefix) };
  const end: TextSegment = { kind: 'same', text: old.slice(old.length - suffix) };
  const keep = (segments: TextSegment[]) => segments.filter((s) => s.text !== '');

  let reason: TextChange['reason'];
  if (Math.max(removed.length, added.length) > WORD_DIFF_MAX_CHARS) reason = 'tooLong';
  else {
    const parts = diffWordsWithSpace(removed, added, { maxEditLength: WORD_DIFF_MAX_EDITS });
    if (parts) {
      const middle = parts.map((p): TextSegment => ({ kind: p.added ? 'added' : p.removed ? 'removed' : 'same', text: p.value }));
      return { segments: mergeSame(keep([start, ...middle, end])) };
    }
    reason = 'tooDifferent';
  }
  return { segments: keep([start, { kind: 'removed', text: removed }, { kind: 'added', text: added }, end]), reason };
}

/** Joins neighbouring unchanged pieces (the common start and the word diff's first unchanged words), so each is shortened once. */
function mergeSame(segments: TextSegment[]): TextSegment[] {
  const out: TextSegment[] = [];
  for (const segment of segments) {
    const last = out[out.length - 1];
    if (last && last.kind === 'same' && segment.kind === 'same') out[out.length - 1] = { kind: 'same', text: last.text + segment.text };
    else out.push(segment);
  }
  return out;
}
