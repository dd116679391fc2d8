/**
 * Copying from the page copies values as they are stored, not as they are drawn. A value's hidden characters and edge
 * whitespace are drawn as markers (components/value-text.tsx), and the page collapses runs of whitespace inside a
 * value, so the browser's own copy of 'Chloé Dubois ' is 'Chloé Dubois·' and of 'a  b' is 'a b': pasted into a search
 * or a ticket, neither finds the row. Each marker names the characters it stands for in `data-code-points`; when a selection
 * holds a marker or lies in a value, the copied text is the selection with every marker put back as its characters and
 * the whitespace of values kept. Any other selection is left to the browser.
 */

/** A text's characters as hexadecimal code points ('\r\n' → 'D A'), for a marker's `data-code-points`. */
export const codePoints = (text: string) => Array.from(text, (char) => char.codePointAt(0)!.toString(16).toUpperCase()).join(' ');

const fromCodePoints = (points: string) =>
  points.split(' ').filter(Boolean).map((point) => String.fromCodePoint(Number.parseInt(point, 16))).join('');

/** The plain text a copy of this selection should give, or null when the browser's own copy is right. */
export function valueCopyText(selection: Selection, doc: Document = document): string | null {
  if (selection.rangeCount === 0 || selection.isCollapsed) return null;
  const holder = doc.createElement('div');
  // Rendered (innerText needs layout to turn blocks into line breaks) but off screen, and keeping every space.
  holder.style.cssText = 'position: fixed; left: -100000px; top: 0; white-space: pre-wrap;';
  let inValue = false;
  for (let i = 0; i < selection.rangeCount; i++) {
    const range = selection.getRangeAt(i);
    const common = range.commonAncestorContainer;
    const element = common instanceof Element ? common : common.parentElement;
    if (element?.closest('.value, [data-code-points]')) inValue = true;
    holder.append(range.cloneContents());
  }
  const markers = holder.querySelectorAll('[data-code-points]');
  if (markers.length === 0 && !inValue && !holder.querySelector('.value')) return null;
  markers.forEach((marker) => marker.replaceWith(doc.createTextNode(fromCodePoints(marker.getAttribute('data-code-points') ?? ''))));
  doc.body.append(holder);
  try {
    // innerText follows the layout (line breaks between blocks); a document without layout has only textContent
    return holder.innerText ?? holder.textContent ?? '';
  } finally {
    holder.remove();
  }
}

/** Puts the stored characters on the clipboard when the user copies from a value (see valueCopyText). */
export function installValueCopy(doc: Document = document): () => void {
  const onCopy = (event: ClipboardEvent) => {
    // text selected in a form field is the field's own, and its selection is not the document's
    const active = doc.activeElement;
    if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) return;
    const selection = doc.getSelection();
    if (!selection || !event.clipboardData) return;
    const text = valueCopyText(selection, doc);
    if (text === null) return;
    event.clipboardData.setData('text/plain', text);
    event.preventDefault();
  };
  doc.addEventListener('copy', onCopy);
  return () => doc.removeEventListener('copy', onCopy);
}
