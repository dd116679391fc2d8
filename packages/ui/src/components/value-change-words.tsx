import { useMemo, useState } from 'react';
import { plural } from '../lib/plural';
import { textChange, WORD_DIFF_MAX_CHARS, WORD_DIFF_MAX_EDITS } from './value-change-diff';
import { excerpt, type ExcerptPiece } from './value-change-excerpt';
import { PlainChange } from './value-change-plain';
import { ValueText } from './value-text';

const ELIDED: Record<'same' | 'removed' | 'added', string> = { same: 'unchanged', removed: 'more removed', added: 'more added' };

/**
 * The change of a long text: the words removed and added, with a little unchanged text around them and counts in
 * place of the rest, so an edit in the middle of a long text can be found; both full texts on demand.
 */
export function WordDiff({ old, next }: { old: string; next: string }) {
  const change = useMemo(() => textChange(old, next), [old, next]);
  const { pieces, shortened } = useMemo(() => excerpt(change.segments), [change]);
  const [showFull, setShowFull] = useState(false);
  // Nothing to point at (a comparison may list equal texts). A text emptied (or filled from empty) is old → new as for
  // a short one, so the empty side shows its marker: as a word diff it would be the old text struck through alone (or
  // the new one highlighted), with no sign of the empty text. A change of whitespace only is word-diffed like any other
  // (the diff sees whitespace): the whitespace removed and added is marked where it changed, in the text shown once.
  if (old === next || old === '' || next === '') return <PlainChange old={old} next={next} />;
  return (
    <>
      {change.reason && (
        <p className="diff-note muted">
          {change.reason === 'tooLong'
            ? `The changed part is too long for a word diff (over ${WORD_DIFF_MAX_CHARS.toLocaleString()} characters): it is shown as removed and added text.`
            : `Too many differences for a word diff (over ${WORD_DIFF_MAX_EDITS} words, spaces and punctuation marks removed or added): the changed part is shown as removed and added text.`}
        </p>
      )}
      {/* Most screen readers do not announce <ins>/<del>: hidden words say where each insertion and removal begins and ends. */}
      <p className="word-diff" dir="auto">{pieces.map((piece, i) => <Piece key={i} piece={piece} first={i === 0} last={i === pieces.length - 1} />)}</p>
      {shortened && (
        <p className="diff-full">
          <button type="button" className="link-button" aria-expanded={showFull} onClick={() => setShowFull(!showFull)}>
            {showFull ? 'Hide the full texts' : 'Show the old and new text in full'}
          </button>
        </p>
      )}
      {showFull && <p className="diff-full-texts"><PlainChange old={old} next={next} full /></p>}
    </>
  );
}

/**
 * One piece of the diff. The whitespace at the ends of the texts is marked; in what was removed or added, so is
 * whitespace that would read as nothing or as one space: all of it when the piece is whitespace alone (a space added,
 * a line break removed), and line breaks, tabs and runs of spaces inside words removed or added ('St↵' → 'Street').
 * Unchanged text keeps its line breaks as line breaks (.word-diff is pre-wrap).
 */
function Piece({ piece, first, last }: { piece: ExcerptPiece; first: boolean; last: boolean }) {
  if (piece.kind === 'elided') return <span className="muted elided"> […{plural(piece.count, `${ELIDED[piece.of]} character`)}…] </span>;
  const changed = piece.kind !== 'same';
  const text = <ValueText text={piece.text} start={first} end={last} allSpace={changed && piece.text.trim() === ''} inner={changed} />;
  if (piece.kind === 'added') return <span><span className="sr-only">[added: </span><ins>{text}</ins><span className="sr-only">]</span></span>;
  if (piece.kind === 'removed') return <span><span className="sr-only">[removed: </span><del>{text}</del><span className="sr-only">]</span></span>;
  return <span>{text}</span>;
}
