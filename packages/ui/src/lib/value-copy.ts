/**
 * Copying from inside a value copies what the value holds, not what the page draws. A value's hidden characters and
 * edge whitespace are drawn as markers (components/value-text.tsx), and a JSON value's text or a path is drawn with its
 * runs of whitespace collapsed (text values keep theirs: styles.css), so the browser's own copy of 'Chloé Dubois ' is
 * 'Chloé Dubois·': pasted into a search or a ticket, it does not find the row. Each marker names the characters it stands for in `data-code-points`. A
 * selection that lies inside one value's text (or a JSON path) is copied as those characters; any other selection (a
 * table, several fields, the page) is left to the browser, which also puts its formatted (HTML) form on the clipboard.
 */

/** A text's characters as hexadecimal code points ('\r\n' → 'D A'), for a marker's `data-code-points`. */
export const codePoints = (text: string) => Array.from(text, (char) => char.codePointAt(0)!.toString(16).toUpperCase()).join(' ');

const fromCodePoints = (points: string) =>
  points.split(' ').filter(Boolean).map((point) => String.fromCodePoint(Number.parseInt(point, 16))).join('');

/** Where a copy of the stored characters applies: a text value or a JSON path, whose content is ValueText. */
const VALUE_TEXT = '.value-text, .value-json, .json-path';

/** The plain text a copy of this selection should give, or null when the browser's own copy is right. */
export function valueCopyText(selection: Selection): string | null {
  if (selection.rangeCount !== 1 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const common = range.commonAncestorContainer;
  const container = (common instanceof Element ? common : common.parentElement)?.closest(VALUE_TEXT);
  if (!container) return null;
  const fragment = range.cloneContents();
  // text the page adds beside the value's own (a collapsed value's "…"), which is not the value's
  fragment.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
  fragment.querySelectorAll('[data-code-points]').forEach((marker) => {
    marker.replaceWith(document.createTextNode(fromCodePoints(marker.getAttribute('data-code-points') ?? '')));
  });
  // inside one value everything is inline text: its characters as they are, every space kept
  return fragment.textContent ?? '';
}

/** Puts the stored characters on the clipboard when the user copies from inside a value (see valueCopyText). */
export function installValueCopy(doc: Document = document): () => void {
  const onCopy = (event: ClipboardEvent) => {
    // text selected in a form field is the field's own, and its selection is not the document's
    const active = doc.activeElement;
    if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) return;
    const selection = doc.getSelection();
    if (!selection || !event.clipboardData) return;
    const text = valueCopyText(selection);
    if (text === null) return;
    event.clipboardData.setData('text/plain', text);
    event.preventDefault();
  };
  doc.addEventListener('copy', onCopy);
  return () => doc.removeEventListener('copy', onCopy);
}
