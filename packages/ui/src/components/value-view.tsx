import { useState } from 'react';
import { formatValue } from '../lib/format';
import { plural } from '../lib/plural';
import { headOf } from './value-view-cut';

/** Values longer than this are collapsed to a preview: one 228 KB text would otherwise make its card 100,000 px tall. */
export const COLLAPSE_OVER = 1_000;
/** About how many characters a collapsed value shows. */
export const PREVIEW_CHARS = 300;

interface Props {
  value: unknown;
  className?: string;
  /** Show a long value whole at once (it was asked for in full), without the collapsed preview. */
  full?: boolean;
}

/**
 * One column value: null and empty strings made visible, JSON compact, long values collapsed with a control to show
 * them whole. A real NULL or empty string is told apart from the text `null` or `(empty)` by more than italics:
 * screen readers hear "no value (NULL)" / "empty text", sighted readers see the same italic placeholder as before.
 */
export function ValueView({ value, className = '', full = false }: Props) {
  if (value === null || value === undefined) return <Placeholder kind="null" className={className} shown="null" spoken="no value (NULL)" />;
  if (value === '') return <Placeholder kind="empty" className={className} shown="(empty)" spoken="empty text" />;
  const text = formatValue(value);
  const classes = `value ${typeof value === 'string' ? 'value-text' : 'value-json'} ${className}`;
  if (full || text.length <= COLLAPSE_OVER) return <span className={classes}>{text}</span>;
  return <CollapsedValue text={text} className={classes} />;
}

function CollapsedValue({ text, className }: { text: string; className: string }) {
  const [expanded, setExpanded] = useState(false);
  return (
    <>
      <span className={`${className} value-long`}>
        {expanded ? text : headOf(text, PREVIEW_CHARS)}
        {!expanded && <span className="value-more" aria-hidden="true">…</span>}
      </span>{' '}
      {/* Outside the value: its own text stays exactly the value's, and keeps no strike-through or highlight. */}
      <button type="button" className="link-button value-toggle" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
        {expanded ? 'Show less' : `Show all ${plural(text.length, 'character')}`}
      </button>
    </>
  );
}

function Placeholder({ kind, className, shown, spoken }: { kind: 'null' | 'empty'; className: string; shown: string; spoken: string }) {
  return (
    <span className={`value value-${kind} ${className}`}>
      <span aria-hidden="true">{shown}</span>
      <span className="sr-only">{spoken}</span>
    </span>
  );
}
