import type { NullMeaning } from './column-nulls';
import { ValueView } from './value-view';

/** Two different texts that differ only in whitespace ('Chloé Dubois' → 'Chloé Dubois ', 'a b' → 'a  b'). */
export const whitespaceOnly = (old: unknown, next: unknown): boolean =>
  typeof old === 'string' && typeof next === 'string' && old !== next && old.replace(/\s/g, '') === next.replace(/\s/g, '');

/** old → new, each value whole (`full`) or collapsed when long. */
export function PlainChange({ old, next, full = false, nulls = 'sql' }: { old: unknown; next: unknown; full?: boolean; nulls?: NullMeaning }) {
  // A change of whitespace only would read "x → x": the whitespace at the ends is always marked, and when the change is
  // inside the text (the page collapses runs of spaces), every whitespace character is.
  const allSpace = whitespaceOnly(old, next) && (old as string).trim() !== (next as string).trim();
  // The arrow is read out as "changed to": an aria-label needs a role that can be named (ARIA forbids it on a plain
  // span, and screen readers ignore it there, reading "right arrow" or nothing).
  return (
    <>
      <ValueView value={old} className="old" full={full} nulls={nulls} allSpace={allSpace} />{' '}
      <span className="arrow" role="img" aria-label="changed to">→</span>{' '}
      <ValueView value={next} className="new" full={full} nulls={nulls} allSpace={allSpace} />
    </>
  );
}
