import { ValueView } from './value-view';

/** old → new, each value whole (`full`) or collapsed when long. */
export function PlainChange({ old, next, full = false }: { old: unknown; next: unknown; full?: boolean }) {
  // The arrow is read out as "changed to": an aria-label needs a role that can be named (ARIA forbids it on a plain
  // span, and screen readers ignore it there, reading "right arrow" or nothing).
  return <><ValueView value={old} className="old" full={full} /> <span className="arrow" role="img" aria-label="changed to">→</span> <ValueView value={next} className="new" full={full} /></>;
}
