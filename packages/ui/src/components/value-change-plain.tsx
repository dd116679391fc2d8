import type { NullMeaning } from './column-nulls';
import { ValueText } from './value-text';
import { collapses, ValueView } from './value-view';
import { headOf, tailOf } from './value-view-cut';

/** Two different texts that differ only in whitespace ('Chloé Dubois' → 'Chloé Dubois ', 'a b' → 'a  b'). */
export const whitespaceOnly = (old: unknown, next: unknown): boolean =>
  typeof old === 'string' && typeof next === 'string' && old !== next && old.replace(/\s/g, '') === next.replace(/\s/g, '');

/**
 * A string on one side and a number, a boolean or a JSON structure on the other: the values of a json/jsonb column (or
 * of one whose type changed), which must read as different types even when the column's type is not known (a column
 * dropped since): '"1"' → '1' is not `1 → 1`.
 */
export const mixedTypes = (old: unknown, next: unknown): boolean => {
  const isValue = (v: unknown) => v !== null && v !== undefined;
  return isValue(old) && isValue(next) && (typeof old === 'string') !== (typeof next === 'string');
};

/**
 * old → new, each value whole (`full`) or collapsed when long. A string is quoted as JSON writes it in a json value
 * (`inside` is `json`) and whenever the other side is not a string (mixedTypes).
 */
export function PlainChange({ old, next, full = false, nulls = 'sql', inside = 'sql' }: { old: unknown; next: unknown; full?: boolean; nulls?: NullMeaning; inside?: NullMeaning }) {
  const json = inside === 'json' || mixedTypes(old, next);
  // A change of whitespace only would read "x → x": the whitespace at the ends is always marked, and when the change is
  // inside the text, every whitespace character is (one space more in a run, or a space for a tab, is hard to see).
  const allSpace = whitespaceOnly(old, next) && (old as string).trim() !== (next as string).trim();
  // The arrow is read out as "changed to": an aria-label needs a role that can be named (ARIA forbids it on a plain
  // span, and screen readers ignore it there, reading "right arrow" or nothing).
  return (
    <>
      {/* a long value is collapsed to a preview, which may end before the whitespace that changed: two equal previews */}
      {!full && whitespaceOnly(old, next) && (collapses(old as string) || collapses(next as string)) && (
        <WhitespaceNote old={old as string} next={next as string} />
      )}
      <ValueView value={old} className="old" full={full} nulls={nulls} inside={inside} allSpace={allSpace} json={json} />{' '}
      <span className="arrow" role="img" aria-label="changed to">→</span>{' '}
      <ValueView value={next} className="new" full={full} nulls={nulls} inside={inside} allSpace={allSpace} json={json} />
    </>
  );
}

/** How many characters of each text the whitespace note shows on either side of the first difference. */
const AROUND = 30;

/** The part of a text around position `at` (cut as previews are: never inside an emoji). */
function around(text: string, at: number): { piece: string; before: boolean; after: boolean } {
  const head = tailOf(text.slice(0, at), AROUND);
  const tail = headOf(text.slice(at), AROUND);
  return { piece: head + tail, before: head.length < at, after: at + tail.length < text.length };
}

function Around({ text, at, className }: { text: string; at: number; className: string }) {
  const { piece, before, after } = around(text, at);
  return (
    <>
      {before && <span className="muted">…</span>}
      <span className={`value value-text ${className}`} dir="auto"><ValueText text={piece} allSpace /></span>
      {after && <span className="muted">…</span>}
    </>
  );
}

/**
 * Where two long texts that differ only in whitespace first differ, with that place of each, every whitespace
 * character marked: their collapsed previews (the first few hundred characters) may read exactly alike.
 */
function WhitespaceNote({ old, next }: { old: string; next: string }) {
  let at = 0;
  while (at < old.length && at < next.length && old[at] === next[at]) at++;
  const character = [...old.slice(0, at)].length + 1; // counted in characters, an emoji as one
  return (
    <span className="diff-note ws-note">
      <span className="muted">Differs only in whitespace, first at character {character.toLocaleString()}:</span>{' '}
      <Around text={old} at={at} className="old" />{' '}
      <span className="arrow" role="img" aria-label="changed to">→</span>{' '}
      <Around text={next} at={at} className="new" />
    </span>
  );
}
