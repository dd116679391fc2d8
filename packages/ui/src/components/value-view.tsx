import { formatValue } from '../lib/format';

/** One column value: null and empty strings made visible, JSON compact. */
export function ValueView({ value, className = '' }: { value: unknown; className?: string }) {
  if (value === null || value === undefined) return <span className={`value value-null ${className}`}>null</span>;
  if (value === '') return <span className={`value value-empty ${className}`}>(empty)</span>;
  return <span className={`value ${typeof value === 'string' ? 'value-text' : 'value-json'} ${className}`}>{formatValue(value)}</span>;
}
