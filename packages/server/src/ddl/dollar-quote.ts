/**
 * Wraps a function body in dollar quotes whose tag does not occur in it:
 * `$rowtrail$`, else `$rowtrail_1$`, `$rowtrail_2$`, … so labels, conditions or
 * bodies that contain a tag cannot end the quoted text early.
 */
export function dollarQuote(body: string, tag = 'rowtrail'): string {
  for (let n = 0; ; n++) {
    const delimiter = `$${n === 0 ? tag : `${tag}_${n}`}$`;
    const quoted = delimiter + body + delimiter;
    // the first closing delimiter must be the one we appended
    if (quoted.indexOf(delimiter, delimiter.length) === quoted.length - delimiter.length) return quoted;
  }
}
