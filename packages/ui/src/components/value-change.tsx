import { diffWords, type Change } from 'diff';
import { useMemo } from 'react';
import { formatPath, isStructured, jsonDiff } from '../lib/json-diff';
import { ValueView } from './value-view';

const LONG_TEXT = 60;
/** Longer texts are shown whole: tokenizing them alone would take too long for a page of 50 events. */
export const WORD_DIFF_MAX_CHARS = 10_000;
/** Word diffs cost time in proportion to how much changed; texts that differ by more words than this are shown whole. */
export const WORD_DIFF_MAX_EDITS = 150;

type WordDiffResult = { parts: Change[] } | { tooLong: true } | { tooDifferent: true };

/** The word diff of two texts, or why there is none: bounded in size and in edit length, so it never takes long. */
export function wordDiff(old: string, next: string): WordDiffResult {
  if (Math.max(old.length, next.length) > WORD_DIFF_MAX_CHARS) return { tooLong: true };
  const parts = diffWords(old, next, { maxEditLength: WORD_DIFF_MAX_EDITS });
  return parts ? { parts } : { tooDifferent: true };
}

function PlainChange({ old, next }: { old: unknown; next: unknown }) {
  // The arrow is read out as "changed to": an aria-label needs a role that can be named (ARIA forbids it on a plain
  // span, and screen readers ignore it there, reading "right arrow" or nothing).
  return <><ValueView value={old} className="old" /> <span className="arrow" role="img" aria-label="changed to">→</span> <ValueView value={next} className="new" /></>;
}

function WordDiff({ old, next }: { old: string; next: string }) {
  const result = useMemo(() => wordDiff(old, next), [old, next]);
  if (!('parts' in result)) {
    return (
      <>
        <p className="diff-note muted">
          {'tooLong' in result
            ? `Too long for a word diff (over ${WORD_DIFF_MAX_CHARS.toLocaleString()} characters): old and new text shown whole.`
            : `Too many differences for a word diff (over ${WORD_DIFF_MAX_EDITS} words and punctuation marks removed or added): old and new text shown whole.`}
        </p>
        <PlainChange old={old} next={next} />
      </>
    );
  }
  // Most screen readers do not announce <ins>/<del>: hidden words say where each insertion and removal begins and ends.
  return (
    <p className="word-diff">
      {result.parts.map((part, i) =>
        part.added ? <span key={i}><span className="sr-only">[added: </span><ins>{part.value}</ins><span className="sr-only">]</span></span>
          : part.removed ? <span key={i}><span className="sr-only">[removed: </span><del>{part.value}</del><span className="sr-only">]</span></span>
          : <span key={i}>{part.value}</span>,
      )}
    </p>
  );
}

function StructuredDiff({ old, next }: { old: unknown; next: unknown }) {
  const changes = jsonDiff(old, next);
  // Equal as JSON values, written differently (key order, or 1.0 vs 1, in a json column): show both texts.
  if (changes.length === 0) return <PlainChange old={old} next={next} />;
  return (
    <ul className="json-diff">
      {changes.map((change) => (
        <li key={JSON.stringify(change.path)} className={`json-${change.kind}`}>
          <code className="json-path">{formatPath(change.path)}</code>{' '}
          {change.kind === 'added' && <><span className="sr-only">added </span><ValueView value={change.value} className="new" /></>}
          {change.kind === 'removed' && <><span className="sr-only">removed </span><ValueView value={change.value} className="old" /></>}
          {change.kind === 'changed' && <PlainChange old={change.old} next={change.new} />}
        </li>
      ))}
    </ul>
  );
}

/** old → new for one column: word diff for long text, structured diff for JSON, plain otherwise. */
export function ValueChange({ column, old, next }: { column: string; old: unknown; next: unknown }) {
  const longText = typeof old === 'string' && typeof next === 'string' && Math.max(old.length, next.length) > LONG_TEXT;
  const structured = isStructured(old) && isStructured(next);
  return (
    <div className="field-change" data-column={column}>
      <div className="field-name">{column}</div>
      <div className="field-values">
        {longText ? <WordDiff old={old as string} next={next as string} />
          : structured ? <StructuredDiff old={old} next={next} />
          : <PlainChange old={old} next={next} />}
      </div>
    </div>
  );
}

/** A column value of an inserted or deleted row. */
export function ValueField({ column, value }: { column: string; value: unknown }) {
  return (
    <div className="field-change" data-column={column}>
      <div className="field-name">{column}</div>
      <div className="field-values"><ValueView value={value} /></div>
    </div>
  );
}
