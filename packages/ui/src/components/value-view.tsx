import { formatValue } from '../lib/format';

/**
 * One column value: null and empty strings made visible, JSON compact. A real NULL or empty string is told apart from
 * the text `null` or `(empty)` by more than italics: screen readers hear "no value (NULL)" / "empty text", sighted
 * readers see the same italic placeholder as before.
 */
export function ValueView({ value, className = '' }: { value: unknown; className?: string }) {
  if (value === null || value === undefined) return <Placeholder kind="null" className={className} shown="null" spoken="no value (NULL)" />;
  if (value === '') return <Placeholder kind="empty" className={className} shown="(empty)" spoken="empty text" />;
  return <span className={`value ${typeof value === 'string' ? 'value-text' : 'value-json'} ${className}`}>{formatValue(value)}</span>;
}

function Placeholder({ kind, className, shown, spoken }: { kind: 'null' | 'empty'; className: string; shown: string; spoken: string }) {
  return (
    <span className={`value value-${kind} ${className}`}>
      <span aria-hidden="true">{shown}</span>
      <span className="sr-only">{spoken}</span>
    </span>
  );
}
