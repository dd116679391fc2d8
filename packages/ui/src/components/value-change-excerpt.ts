import type { TextSegment } from './value-change-diff';
import { headOf, tailOf } from './value-view-cut';

/** Unchanged characters shown on each side of a change. */
export const CONTEXT_CHARS = 120;
/** An unchanged piece longer than this shows only its ends next to the changes; the rest is counted, not printed. */
const SAME_SHOWN_OVER = 3 * CONTEXT_CHARS;
/** A removed or added piece longer than this shows its first CHANGE_SHOWN characters and counts the rest. */
const CHANGE_SHOWN_OVER = 1_000;
const CHANGE_SHOWN = 400;

export type ExcerptPiece = TextSegment | { kind: 'elided'; of: TextSegment['kind']; count: number };

/**
 * What to print of a text change: the changes, with a little unchanged context around each, and counts in place of
 * everything else. A 15-character edit in a 228 KB text is a few lines, not 100,000 px of both texts.
 * `shortened` says whether anything was left out (the full texts are then offered on demand).
 */
export function excerpt(segments: TextSegment[]): { pieces: ExcerptPiece[]; shortened: boolean } {
  const pieces: ExcerptPiece[] = [];
  let shortened = false;
  const elide = (of: TextSegment['kind'], count: number) => {
    if (count > 0) { pieces.push({ kind: 'elided', of, count }); shortened = true; }
  };
  segments.forEach((segment, i) => {
    const { kind, text } = segment;
    if (kind !== 'same') {
      if (text.length <= CHANGE_SHOWN_OVER) { pieces.push(segment); return; }
      const head = headOf(text, CHANGE_SHOWN);
      pieces.push({ kind, text: head });
      elide(kind, text.length - head.length);
      return;
    }
    if (text.length <= SAME_SHOWN_OVER) { pieces.push(segment); return; }
    // Context only where there is a change next to it: after the previous piece, before the next one.
    const head = i > 0 ? headOf(text, CONTEXT_CHARS) : '';
    const tail = i < segments.length - 1 ? tailOf(text, CONTEXT_CHARS) : '';
    if (head) pieces.push({ kind, text: head });
    elide(kind, text.length - head.length - tail.length);
    if (tail) pieces.push({ kind, text: tail });
  });
  return { pieces, shortened };
}
