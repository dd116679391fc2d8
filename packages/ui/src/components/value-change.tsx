import { diffWords } from 'diff';
import { isStructured, jsonDiff } from '../lib/json-diff';
import { ValueView } from './value-view';

const LONG_TEXT = 60;

function WordDiff({ old, next }: { old: string; next: string }) {
  return (
    <p className="word-diff">
      {diffWords(old, next).map((part, i) =>
        part.added ? <ins key={i}>{part.value}</ins> : part.removed ? <del key={i}>{part.value}</del> : <span key={i}>{part.value}</span>,
      )}
    </p>
  );
}

function StructuredDiff({ old, next }: { old: unknown; next: unknown }) {
  return (
    <ul className="json-diff">
      {jsonDiff(old, next).map((change) => (
        <li key={change.path} className={`json-${change.kind}`}>
          <code className="json-path">{change.path}</code>{' '}
          {change.kind === 'added' && <><span className="sr-only">added </span><ValueView value={change.value} className="new" /></>}
          {change.kind === 'removed' && <><span className="sr-only">removed </span><ValueView value={change.value} className="old" /></>}
          {change.kind === 'changed' && <><ValueView value={change.old} className="old" /> <span className="arrow" aria-label="changed to">→</span> <ValueView value={change.new} className="new" /></>}
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
          : <><ValueView value={old} className="old" /> <span className="arrow" aria-label="changed to">→</span> <ValueView value={next} className="new" /></>}
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
