import { useState, type ReactNode } from 'react';
import { stringifyExactJson } from '../lib/exact-json';
import { formatJsonValue, formatTime, formatValue } from '../lib/format';
import { isStructured } from '../lib/json-diff';
import { codePoints } from '../lib/value-copy';
import { plural } from '../lib/plural';
import type { NullMeaning } from './column-nulls';
import { headOf } from './value-view-cut';
import { ValueText } from './value-text';

/** Values longer than this are collapsed to a preview: one 228 KB text would otherwise make its card 100,000 px tall. */
export const COLLAPSE_OVER = 1_000;
/** About how many characters a collapsed value shows. */
export const PREVIEW_CHARS = 300;
/**
 * A text of more lines than this is collapsed too, short as it may be: its line breaks are shown (styles.css), and a
 * value of 500 short lines would be as tall as a long one.
 */
export const COLLAPSE_OVER_LINES = 20;
/** How many lines, at most, a collapsed value's preview shows. */
export const PREVIEW_LINES = 8;

/** Where the text's `count`-th line break is, or -1 when it has fewer. */
function lineBreakAt(text: string, count: number): number {
  let at = -1;
  for (let i = 0; i < count; i++) {
    at = text.indexOf('\n', at + 1);
    if (at === -1) return -1;
  }
  return at;
}

/** Whether ValueView shows this text collapsed to a preview (it is long, or of many lines). */
export const collapses = (text: string): boolean => text.length > COLLAPSE_OVER || lineBreakAt(text, COLLAPSE_OVER_LINES) !== -1;

/** How many characters of a collapsed text its preview shows: about PREVIEW_CHARS, and no more than PREVIEW_LINES lines. */
function previewLength(text: string): number {
  const end = lineBreakAt(text, PREVIEW_LINES);
  return end === -1 ? PREVIEW_CHARS : Math.min(PREVIEW_CHARS, end);
}

interface Props {
  value: unknown;
  className?: string;
  /** Show a long value whole at once (it was asked for in full), without the collapsed preview. */
  full?: boolean;
  /** What a null is here: a SQL NULL, a JSON null inside a json value, or either (a json column's whole value). */
  nulls?: NullMeaning;
  /** What a null inside the value (an array's, a json value's) is: a SQL NULL, or a JSON null inside a json value. */
  inside?: NullMeaning;
  /** Mark every whitespace character, not only those at the ends: the change being shown is one of whitespace only. */
  allSpace?: boolean;
  /**
   * The value is (part of) a json/jsonb value, where the string "1" and the number 1 differ: a string is shown quoted,
   * as JSON writes it. By default, when `inside` says the value is a json value's (a json/jsonb column's).
   */
  json?: boolean;
}

/** An ISO 8601 date and time with its offset, as PostgreSQL writes a timestamptz into JSON. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

/** What a null is shown and read as: a marker that cannot be mistaken for a text, as the text `null` could be. */
const NULLS: Record<NullMeaning, { shown: string; spoken: string; kind: string }> = {
  sql: { shown: 'NULL', spoken: 'no value (NULL)', kind: 'null' },
  json: { shown: 'JSON null', spoken: 'JSON null', kind: 'json-null' },
  either: { shown: 'NULL or JSON null', spoken: 'no value (NULL) or JSON null, which the recorded history does not tell apart', kind: 'null-or-json-null' },
};

/**
 * One column value: NULL, JSON null and empty strings as markers, JSON compact, hidden characters and edge whitespace
 * marked, long values collapsed with a control to show them whole. The value is isolated for bidirectional text
 * (styles.css): right-to-left text in it cannot move the arrow or the value next to it.
 */
export function ValueView({ value, className = '', full = false, nulls = 'sql', inside = 'sql', allSpace = false, json = inside === 'json' }: Props) {
  if (value === null || value === undefined) {
    const { shown, spoken, kind } = NULLS[nulls];
    return <Placeholder kind={kind} className={className} shown={shown} spoken={spoken} />;
  }
  if (value === '') return <Placeholder kind="empty" className={className} shown="empty" spoken="empty text" />;
  // In a json value the string "1" is not the number 1, nor "true" the boolean: quoted, as JSON writes it (and as a
  // string inside an object already is), a diff never reads `1 → 1` or `active true → true`.
  const quoted = json && typeof value === 'string';
  const text = quoted ? formatJsonValue(value) : formatValue(value);
  const classes = `value ${typeof value === 'string' && !quoted ? 'value-text' : 'value-json'} ${className}`;
  // An array or json value holding nulls: its JSON text, each null in it a marker (NULL, or JSON null in a json value),
  // as a diff shows a null at its path; the text `null` would read like the string "null" next to it.
  const pieces = isStructured(value) ? jsonPieces(value) : undefined;
  const render = pieces
    ? (length: number, end: boolean) => <JsonWithNulls pieces={pieces} length={length} end={end} nulls={inside} allSpace={allSpace} />
    : quoted
      ? (length: number, end: boolean) => <QuotedText text={text} length={length} end={end} allSpace={allSpace} />
      : (length: number, end: boolean) => <ValueText text={length < text.length ? headOf(text, length) : text} end={end} allSpace={allSpace} />;
  // A recorded instant (a timestamptz) reads as PostgreSQL wrote it, in UTC here; the page's own times are in the browser's
  // zone: the same instant in the reader's zone on hover, so the two are not read as different times.
  const instant = typeof value === 'string' && !quoted && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? `${formatTime(value)} in your time zone` : undefined;
  if (full || !collapses(text)) return <span className={classes} dir="auto" title={instant}>{render(text.length, true)}</span>;
  return <CollapsedValue length={text.length} preview={previewLength(text)} className={classes} render={render} />;
}

/** A structured value's compact JSON text in pieces, each null in it a piece of its own (null); undefined without a null. */
export function jsonPieces(value: unknown): (string | null)[] | undefined {
  const pieces: (string | null)[] = [''];
  let nulls = 0;
  const add = (text: string) => { pieces[pieces.length - 1] += text; };
  const walk = (item: unknown, depth: number): void => {
    if (depth > 500) throw new RangeError('too deep'); // the plain text then, as stringifyExactJson does
    if (item === null) { nulls++; pieces.push(null, ''); return; }
    if (!isStructured(item)) { add(stringifyExactJson(item)); return; }
    if (Array.isArray(item)) {
      add('[');
      item.forEach((element, i) => { if (i > 0) add(','); walk(element === undefined ? null : element, depth + 1); });
      add(']');
      return;
    }
    add('{');
    Object.entries(item as Record<string, unknown>).filter(([, v]) => v !== undefined).forEach(([key, v], i) => {
      add(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`);
      walk(v, depth + 1);
    });
    add('}');
  };
  try {
    walk(value, 0);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  return nulls > 0 ? pieces.filter((piece) => piece !== '') : undefined;
}

/**
 * A string of a json value as JSON text (`"1"`): the whitespace at the ends of the string itself is still marked, inside
 * its quotes (`"Chloé Dubois·"`). A preview cut short has no closing quote.
 */
function QuotedText({ text, length, end, allSpace }: { text: string; length: number; end: boolean; allSpace: boolean }) {
  const inner = text.slice(1, -1);
  const whole = length >= text.length;
  return <>{'"'}<ValueText text={whole ? inner : headOf(inner, Math.max(0, length - 1))} end={end && whole} allSpace={allSpace} />{whole && '"'}</>;
}

/** How many characters a null marker counts as in a preview's length: the `null` it stands for. */
const NULL_LENGTH = 4;

/** The pieces of a JSON text up to about `length` characters, its nulls as markers that copy as `null`. */
function JsonWithNulls({ pieces, length, end, nulls, allSpace }: { pieces: (string | null)[]; length: number; end: boolean; nulls: NullMeaning; allSpace: boolean }) {
  const shown: ReactNode[] = [];
  let left = length;
  for (const [i, piece] of pieces.entries()) {
    if (left <= 0) break;
    if (piece === null) {
      const { shown: mark, spoken, kind } = NULLS[nulls];
      shown.push(<Placeholder key={i} kind={kind} className="value-inner" shown={mark} spoken={spoken} copies="null" />);
      left -= NULL_LENGTH;
    } else {
      const text = piece.length > left ? headOf(piece, left) : piece;
      shown.push(<ValueText key={i} text={text} start={false} end={end && text === piece && i === pieces.length - 1} allSpace={allSpace} />);
      left -= piece.length;
    }
  }
  return <>{shown}</>;
}

function CollapsedValue({ length, preview, className, render }: { length: number; preview: number; className: string; render: (length: number, end: boolean) => ReactNode }) {
  const [expanded, setExpanded] = useState(false);
  return (
    <>
      <span className={`${className} value-long`} dir="auto">
        {/* a preview's end is not the value's: its whitespace is not marked */}
        {expanded ? render(length, true) : render(preview, false)}
        {!expanded && <span className="value-more" aria-hidden="true">…</span>}
      </span>{' '}
      {/* Outside the value: its own text stays exactly the value's, and keeps no strike-through or highlight. */}
      <button type="button" className="link-button value-toggle" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
        {expanded ? 'Show less' : `Show all ${plural(length, 'character')}`}
      </button>
    </>
  );
}

/**
 * A framed marker for what is not text (NULL, an empty string…), `spoken` for screen readers. `copies`: what a copy
 * from inside the value it is part of gives for it (a null in a JSON text: `null`).
 */
export function Placeholder({ kind, className, shown, spoken, copies }: { kind: string; className: string; shown: string; spoken: string; copies?: string }) {
  return (
    <span className={`value value-${kind} value-marker ${className}`} data-code-points={copies === undefined ? undefined : codePoints(copies)}>
      <span aria-hidden="true">{shown}</span>
      <span className="sr-only">{spoken}</span>
    </span>
  );
}
