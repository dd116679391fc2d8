import { sameJson, sameJsonText } from '../lib/exact-json';
import { formatPath, isStructured, jsonDiff } from '../lib/json-diff';
import { columnNulls, type ColumnNulls, type NullMeaning } from './column-nulls';
import { PlainChange } from './value-change-plain';
import { WordDiff } from './value-change-words';
import { ValueText } from './value-text';
import { ValueView } from './value-view';

/** Texts longer than this get a word diff; shorter ones read best as old → new. */
const LONG_TEXT = 60;

/** `nulls`: what a null inside the two values is (a JSON null inside a json/jsonb value, a SQL NULL inside an array). */
function StructuredDiff({ old, next, same = sameJson, nulls }: { old: unknown; next: unknown; same?: (a: unknown, b: unknown) => boolean; nulls: NullMeaning }) {
  // never empty: ValueChange sends values equal as JSON to EqualSides, which asks for this only when they read differently
  const changes = jsonDiff(old, next, [], same);
  return (
    <ul className="json-diff">
      {changes.map((change) => (
        <li key={JSON.stringify(change.path)} className={`json-${change.kind}`}>
          <code className="json-path"><ValueText text={formatPath(change.path)} start={false} end={false} /></code>{' '}
          {change.kind === 'added' && <><span className="sr-only">added </span><ValueView value={change.value} className="new" nulls={nulls} inside={nulls} /></>}
          {change.kind === 'removed' && <><span className="sr-only">removed </span><ValueView value={change.value} className="old" nulls={nulls} inside={nulls} /></>}
          {change.kind === 'changed' && <PlainChange old={change.old} next={change.new} nulls={nulls} inside={nulls} />}
        </li>
      ))}
    </ul>
  );
}

/**
 * A recorded change whose two sides are equal as JSON values. Columns without an equality operator (`json`, composite
 * types…) and arrays (whose equality counts their bounds) are compared as text, but the diff is jsonb: a json value whose
 * keys were reordered, '[0:2]={1,2,3}' → '{1,2,3}', or jsonb 'null' → NULL is a change whose sides read the same.
 */
function EqualSides({ old, next, nulls }: { old: unknown; next: unknown; nulls: ColumnNulls }) {
  if (old === null && next === null) {
    return <p className="diff-note muted">Changed between SQL NULL and the JSON value null, which this diff cannot tell apart.</p>;
  }
  if (sameJsonText(old, next)) {
    return (
      <>
        <p className="diff-note muted">
          Both sides are equal as recorded: the column's text changed only in what JSON does not keep (such as key order,
          whitespace or duplicate keys of a json value, or an array's bounds).
        </p>
        <ValueView value={next} inside={nulls.inside} />
      </>
    );
  }
  // Numbers of equal value written differently (numeric keeps its scale, in jsonb too): show which.
  return (
    <>
      <p className="diff-note muted">Equal in value: only how a number is written changed (such as 1.0 → 1.00).</p>
      {isStructured(old) && isStructured(next) ? <StructuredDiff old={old} next={next} same={sameJsonText} nulls={nulls.inside} /> : <PlainChange old={old} next={next} />}
    </>
  );
}

/**
 * old → new for one column: word diff for long text, structured diff for JSON, plain otherwise. `nulls` says what its
 * nulls are (column-nulls.ts); without the column's type, a SQL NULL.
 */
export function ValueChange({ column, old, next, nulls = columnNulls(undefined) }: { column: string; old: unknown; next: unknown; nulls?: ColumnNulls }) {
  const longText = typeof old === 'string' && typeof next === 'string' && Math.max(old.length, next.length) > LONG_TEXT;
  const structured = isStructured(old) && isStructured(next);
  return (
    <div className="field-change" data-column={column}>
      <div className="field-name">{column}</div>
      <div className="field-values">
        {sameJson(old, next) ? <EqualSides old={old} next={next} nulls={nulls} />
          : longText ? <WordDiff old={old as string} next={next as string} />
          : structured ? <StructuredDiff old={old} next={next} nulls={nulls.inside} />
          : <PlainChange old={old} next={next} nulls={nulls.whole} inside={nulls.inside} />}
      </div>
    </div>
  );
}

/** A column value of an inserted or deleted row. */
export function ValueField({ column, value, nulls = columnNulls(undefined) }: { column: string; value: unknown; nulls?: ColumnNulls }) {
  return (
    <div className="field-change" data-column={column}>
      <div className="field-name">{column}</div>
      <div className="field-values"><ValueView value={value} nulls={nulls.whole} inside={nulls.inside} /></div>
    </div>
  );
}
