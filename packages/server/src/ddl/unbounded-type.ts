/**
 * The snapshot type of a source column type: the same type without size
 * limits, so every value the source ever held fits, and widening or narrowing
 * the source column (varchar(50) → varchar(200), numeric(6,2) → numeric(12,2), interval year to month → interval)
 * is no drift for history. Fixed-length bit and char become their varying forms
 * (a bare "bit" or "char" would mean length 1).
 */
export function unboundedType(type: string): string {
  const match = /^(.*?)((?:\[\d*\])*)$/.exec(type.trim())!;
  const array = match[2].replace(/\d+/g, '');
  const base = match[1].trim();
  const lower = base.toLowerCase();
  const withoutModifier = lower.replace(/\s*\([^)]*\)/, '');
  if (withoutModifier === 'bit') return `varbit${array}`;
  // an interval's fields restrict it as a size limit does: "interval year to month" drops the days and the time
  if (/^interval\b/.test(lower)) return `interval${array}`;
  if (withoutModifier === 'character' || withoutModifier === 'char' || withoutModifier === 'bpchar') return `text${array}`;
  if (/^(numeric|decimal|character varying|varchar|bit varying|varbit|timestamp|time|interval)\b/.test(lower)) {
    return `${withoutModifier.replace(/^decimal$/, 'numeric')}${array}`;
  }
  return `${base}${array}`;
}
