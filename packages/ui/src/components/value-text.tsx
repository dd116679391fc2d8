import { codePoints } from '../lib/value-copy';
import { markText, type MarkOptions } from './value-marks';

/**
 * A value's text with its hidden characters and edge whitespace shown as markers (see value-marks.ts). Each marker is
 * isolated and left-to-right, named for screen readers; the control characters themselves are not written to the page,
 * so none of them can reorder the text around it, not even in an attribute: `data-code-points` names the characters a
 * marker stands for by their code points (hexadecimal), which a copy puts back (lib/value-copy.ts).
 */
export function ValueText({ text, ...options }: { text: string } & MarkOptions) {
  return (
    <>
      {markText(text, options).map((part, i) => part.kind === 'text' ? part.text : (
        <span key={i} className={part.kind === 'control' ? 'char-mark' : 'ws-mark'} dir="ltr" role="img" aria-label={part.label} title={part.label} data-code-points={codePoints(part.char)}>
          {part.shown}
        </span>
      ))}
    </>
  );
}
