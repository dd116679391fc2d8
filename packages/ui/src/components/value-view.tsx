import { useState } from 'react';
import { formatValue } from '../lib/format';
import { plural } from '../lib/plural';
import type { NullMeaning } from './column-nulls';
import { headOf } from './value-view-cut';
import { ValueText } from './value-text';

/** Values longer than this are collapsed to a preview: one 228 KB text would otherwise make its card 100,000 px tall. */
export const COLLAPSE_OVER = 1_000;
/** About how many characters a collapsed value shows. */
export const PREVIEW_CHARS = 300;

interface Props {
  value: unknown;
  className?: string;
  /** Show a long value whole at once (it was asked for in full), without the collapsed preview. */
  full?: boolean;
  /** What a null is here: a SQL NULL, a JSON null inside a json value, or either (a json column's whole value). */
  nulls?: NullMeaning;
  /** Mark every whitespace character, not only those at the ends: the change being shown is one of whitespace only. */
  allSpace?: boolean;
}

/** What a null is shown and read as: a marker that cannot be mistaken for a text, as the text `null` could be. */
const NULLS: Record<NullMeaning, { shown: string; spoken: string; kind: string }> = {
  sql: { shown: 'NULL', spoken: 'no value (NULL)', kind: 'null' },
  json: { shown: 'JSON null', spoken: 'JSON null', kind: 'json-null' },
  either: { shown: 'NULL or JSON null', spoken: 'no value (NULL) or JSON null, which the recorded history does not tell apart', kind: 'null-or-json-null' },
};

/**
 * One column value: NULL, JSON null and empty strings as markers, JSON compact, hidden characters and edge whitespace
 * marked, long values collapsed with a control to show them whole. The value is isolated for bidirectional text
 * (styles.css): right-to-left text in it cannot move the arrow or the value next to it.
 */
export function ValueView({ value, className = '', full = false, nulls = 'sql', allSpace = false }: Props) {
  if (value === null || value === undefined) {
    const { shown, spoken, kind } = NULLS[nulls];
    return <Placeholder kind={kind} className={className} shown={shown} spoken={spoken} />;
  }
  if (value === '') return <Placeholder kind="empty" className={className} shown="empty" spoken="empty text" />;
  const text = formatValue(value);
  const classes = `value ${typeof value === 'string' ? 'value-text' : 'value-json'} ${className}`;
  if (full || text.length <= COLLAPSE_OVER) return <span className={classes} dir="auto"><ValueText text={text} allSpace={allSpace} /></span>;
  return <CollapsedValue text={text} className={classes} allSpace={allSpace} />;
}

function CollapsedValue({ text, className, allSpace }: { text: string; className: string; allSpace: boolean }) {
  const [expanded, setExpanded] = useState(false);
  return (
    <>
      <span className={`${className} value-long`} dir="auto">
        {/* a preview's end is not the value's: its whitespace is not marked */}
        {expanded ? <ValueText text={text} allSpace={allSpace} /> : <ValueText text={headOf(text, PREVIEW_CHARS)} end={false} allSpace={allSpace} />}
        {!expanded && <span className="value-more" aria-hidden="true">…</span>}
      </span>{' '}
      {/* Outside the value: its own text stays exactly the value's, and keeps no strike-through or highlight. */}
      <button type="button" className="link-button value-toggle" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
        {expanded ? 'Show less' : `Show all ${plural(text.length, 'character')}`}
      </button>
    </>
  );
}

function Placeholder({ kind, className, shown, spoken }: { kind: string; className: string; shown: string; spoken: string }) {
  return (
    <span className={`value value-${kind} value-marker ${className}`}>
      <span aria-hidden="true">{shown}</span>
      <span className="sr-only">{spoken}</span>
    </span>
  );
}
