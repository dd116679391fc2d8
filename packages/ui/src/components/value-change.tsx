import { formatPath, isStructured, jsonDiff } from '../lib/json-diff';
import { PlainChange } from './value-change-plain';
import { WordDiff } from './value-change-words';
import { ValueView } from './value-view';

/** Texts longer than this get a word diff; shorter ones read best as old → new. */
const LONG_TEXT = 60;

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
