/**
 * "1 version", "10,000 versions": a count with its noun, singular for exactly one. Counts use the browser's digit
 * grouping, like every other number on the dashboard.
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? singular : pluralForm}`;
}
